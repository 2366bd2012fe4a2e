using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

public class WatermarksReaderTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    /// <summary>Metadata and watermarks only: no group phase.</summary>
    private static GatherRequest WatermarksOnly() =>
        new(1, Budget, WantMetadata: false, WantGroups: false, OffsetGroups: OffsetGroupSelection.Nothing, WantWatermarks: true, []);

    [Fact]
    public async Task Watermarks_are_asked_per_leader_in_calls_of_at_most_ListOffsetsBatchSize_partitions()
    {
        var h = new ReaderHarness();
        var big = (2 * WatermarksReader.ListOffsetsBatchSize) + 500;
        h.Admin.OnGetMetadata = _ => Cluster.Metadata(("big", big, Leader: 1), ("small", 10, Leader: 2));

        await h.GatherAsync(WatermarksOnly());

        var calls = h.Admin.CallsTo(AdminApi.ListOffsets);
        // Earliest and latest are separate calls; each call holds one leader's partitions only.
        var callsPerSide = ((big + WatermarksReader.ListOffsetsBatchSize - 1) / WatermarksReader.ListOffsetsBatchSize) + 1;
        Assert.Equal(2 * callsPerSide, calls.Count);
        Assert.All(calls, call => Assert.InRange(call.Items.Count, 1, WatermarksReader.ListOffsetsBatchSize));
        Assert.All(calls, call => Assert.Single(call.Items.Select(i => i.Split('/')[0]).Distinct()));
        Assert.All(calls.SelectMany(c => c.Items).CountBy(i => i), asked => Assert.Equal(2, asked.Value));
        Assert.Equal(big + 10, h.Sink.Parts.OfType<WatermarksPart>().Single().Watermarks.Count);
    }

    [Fact]
    public async Task An_offline_partition_is_not_asked_for()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = _ => Cluster.Metadata(("online", 1, Leader: 1), ("offline", 1, Leader: -1));

        await h.GatherAsync(WatermarksOnly());

        Assert.All(h.Admin.CallsTo(AdminApi.ListOffsets), call => Assert.Equal(["online/0"], call.Items));
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task A_failed_side_keeps_the_other_side_and_names_its_partitions()
    {
        var h = new ReaderHarness();
        h.Admin.OnListOffsets = specs => specs[0].OffsetSpec is OffsetSpec.EarliestSpec
            ? throw new KafkaException(ErrorCode.Local_TimedOut)
            : Task.FromResult(Cluster.Offsets(specs, earliest: 0, latest: 10));

        await h.GatherAsync(WatermarksOnly());

        var watermarks = h.Sink.Parts.OfType<WatermarksPart>().Single().Watermarks;
        Assert.Equal(1, watermarks.Count);
        Assert.Equal(new Watermarks(0, null, 10), watermarks.Get("t", 0));
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("watermarks", error.Source);
        Assert.StartsWith("earliest offset of partition \"t/0\": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_topic_unknown_to_a_call_costs_only_its_own_partitions_not_its_leaders_other_topics()
    {
        var h = new ReaderHarness();
        // Deleted after Metadata was read: librdkafka then fails every call that names it as a whole.
        h.Admin.OnGetMetadata = _ => Cluster.Metadata(("a", 2, Leader: 1), ("b", 2, Leader: 1), ("gone", 2, Leader: 1), ("c", 2, Leader: 1), ("d", 2, Leader: 1));
        h.Admin.OnListOffsets = specs => specs.Any(s => s.TopicPartition.Topic == "gone")
            ? throw new KafkaException(ErrorCode.UnknownTopicOrPart)
            : Task.FromResult(Cluster.Offsets(specs, earliest: 0, latest: 10));

        await h.GatherAsync(WatermarksOnly());

        var watermarks = h.Sink.Parts.OfType<WatermarksPart>().Single().Watermarks;
        Assert.Equal(8, watermarks.Count);
        Assert.All(watermarks.Entries, e => Assert.NotEqual("gone", e.Key.Topic));
        Assert.Equal(2, h.Sink.Errors.Count); // one per side, naming only the deleted topic's partitions
        Assert.All(h.Sink.Errors, error => Assert.Contains("\"gone/0\"", error.Message, StringComparison.Ordinal));
        Assert.All(h.Sink.Errors, error => Assert.DoesNotContain("\"a/", error.Message, StringComparison.Ordinal));
        // Bisection by topic: five topics cost each side 1 + 2 + 2 + 2 calls, not one per topic per failure.
        Assert.InRange(h.Admin.CallsTo(AdminApi.ListOffsets).Count, 2, 2 * 7);
    }

    [Fact]
    public async Task A_call_failing_as_a_whole_for_another_reason_is_not_asked_again()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = _ => Cluster.Metadata(("a", 2, Leader: 1), ("b", 2, Leader: 1));
        h.Admin.OnListOffsets = _ => throw new KafkaException(ErrorCode.Local_TimedOut);

        await h.GatherAsync(WatermarksOnly());

        // A timed-out leader would time out again, once per half: that would carry the gather past its deadline.
        Assert.Equal(2, h.Admin.CallsTo(AdminApi.ListOffsets).Count);
        Assert.Equal(0, h.Sink.Parts.OfType<WatermarksPart>().Single().Watermarks.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task ListOffsets_calls_in_flight_never_exceed_max_concurrent_requests(int maxConcurrentRequests)
    {
        var h = new ReaderHarness(maxConcurrentRequests);
        var leaders = (3 * maxConcurrentRequests) + 1;
        h.Admin.OnGetMetadata = _ => Cluster.Metadata([.. Enumerable.Range(1, leaders).Select(l => ($"t{l}", 2, l))]);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Admin.OnListOffsets = async specs =>
        {
            await release.Task.ConfigureAwait(false);
            return Cluster.Offsets(specs, earliest: 0, latest: 10);
        };

        var gather = h.GatherAsync(WatermarksOnly());
        await h.Admin.WaitForInFlightAsync(AdminApi.ListOffsets, maxConcurrentRequests);
        release.SetResult();
        await gather;

        Assert.Equal(maxConcurrentRequests, h.Admin.MaxInFlight(AdminApi.ListOffsets));
        Assert.Equal(2 * leaders, h.Admin.CallsTo(AdminApi.ListOffsets).Count);
        Assert.Empty(h.Sink.Errors);
    }
}
