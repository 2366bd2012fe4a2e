using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Snapshot;

/// <summary>A gather asks the worker only for what the families that are on need (exclude_metrics costs no request).</summary>
public class SnapshotNeedsRequestTests
{
    private static GatherRequest First(IEnumerable<string> excluded, IReadOnlyList<string>? keys = null) =>
        new SnapshotAssembler().NextRequest(1, TimeSpan.FromSeconds(10), lastAttempt: false, [],
            MetricFamilies.NeedsOf(MetricFamilies.Without([.. excluded])), keys);

    [Fact]
    public void Every_family_on_asks_for_every_part()
    {
        var request = First([], ["retention.ms"]);

        Assert.True(request.WantMetadata && request.WantGroups && request.WantWatermarks && request.WantClusterDescription);
        Assert.Same(OffsetGroupSelection.All, request.OffsetGroups);
        Assert.Equal(["retention.ms"], request.TopicConfigKeys);
    }

    [Fact]
    public void Without_the_families_that_read_a_part_it_is_not_asked_for()
    {
        // Every family that reads more than the metadata, derived from the declarations so that a new family is included.
        const SnapshotNeeds beyondMetadata = ~SnapshotNeeds.Metadata;
        var request = First(MetricFamilies.All.Where(f => f.CanBeTurnedOff && (f.Needs & beyondMetadata) != 0).Select(f => f.Name));

        Assert.True(request.WantMetadata);
        Assert.False(request.WantClusterDescription);
        Assert.False(request.WantGroups);
        Assert.False(request.WantWatermarks);
        Assert.Same(OffsetGroupSelection.Nothing, request.OffsetGroups);
    }

    [Fact]
    public void Topic_configs_read_in_this_gather_are_not_asked_again_on_a_resume()
    {
        var assembler = new SnapshotAssembler();
        assembler.Add(new TopicConfigsPart([]));

        var resumed = assembler.NextRequest(2, TimeSpan.FromSeconds(5), lastAttempt: false, [], MetricFamilies.NeedsOf(MetricFamilies.All), ["retention.ms"]);

        Assert.Null(resumed.TopicConfigKeys);
    }
}
