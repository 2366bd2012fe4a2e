using KafkaExecdInput.Tests.Support;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// README's first command without --once, and Enter pressed twice: a newcomer sees lag status and lag
/// in seconds from the second collection, with each of the demo's consumers where its behaviour puts it
/// (Demo/DemoCluster.cs): nobody running is STOP, committing the same offsets is STALL, falling behind
/// is WARN, keeping up is OK, and no live consumer ever rewinds.
/// </summary>
public sealed class DemoLagStatusTests
{
    private const string PartitionStatus = "kafka_consumergroup_partition_lag_status";
    private const string GroupStatus = "kafka_consumergroup_lag_status";

    [Fact]
    public async Task The_second_demo_collection_shows_STOP_STALL_WARN_and_OK_and_lag_in_seconds()
    {
        var (first, second) = await ExecdSession.FirstTwoDemoGathersAsync();

        // One observation is no window: only a partition without lag can be judged (OK) yet.
        Assert.All(first.Measurement(PartitionStatus), l => Assert.Equal("OK", l.Field("status")));
        var partitions = second.Measurement(PartitionStatus).ToList();
        string[] StatusesOf(string group) => [.. partitions.Where(l => l.Tag("consumergroup") == group).Select(l => (string)l.Field("status")!).Distinct()];
        string GroupStatusOf(string group) => (string)second.Measurement(GroupStatus).Single(l => l.Tag("consumergroup") == group).Field("status")!;

        Assert.Equal(["STOP"], StatusesOf("audit-archiver"));
        Assert.Equal(["STALL"], StatusesOf("report-builder"));
        Assert.Equal("ERR", GroupStatusOf("report-builder"));
        Assert.Equal("WARN", GroupStatusOf("ml-feature-loader"));
        Assert.Contains(partitions, l => (string)l.Field("status")! == "OK");
        Assert.DoesNotContain(partitions, l => (string)l.Field("status")! == "REWIND");

        var lagSeconds = second.Measurement("kafka_consumergroup_lag").Where(l => l.Field("seconds") is not null).ToList();
        Assert.NotEmpty(lagSeconds);
        Assert.All(lagSeconds, l => Assert.True((double)l.Field("seconds")! >= 0, l.ToString()));
    }
}
