using Confluent.Kafka;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

public class CommittedOffsetsReaderTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_loading_coordinator_is_asked_OffsetFetchAttempts_times_a_backoff_apart()
    {
        var h = new ReaderHarness();
        h.Admin.OnListConsumerGroupOffsets = group => throw Cluster.OffsetFetchFailed(group, ErrorCode.GroupLoadInProgress);

        var gather = h.GatherAsync(ReaderHarness.OffsetsOnly(Budget, "g"));
        for (var attempt = 1; attempt < CommittedOffsetsReader.OffsetFetchAttempts; attempt++)
        {
            await h.Admin.WaitForCallsAsync(AdminApi.ListConsumerGroupOffsets, attempt);
            await h.Time.WaitForTimersAsync(ReaderHarness.FanOutDeadlineTimer + attempt);
            h.Time.Advance(CommittedOffsetsReader.RetryBackoff - TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempt, h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets).Count);
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
        }
        await gather;

        var calls = h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets);
        Assert.Equal(CommittedOffsetsReader.OffsetFetchAttempts, calls.Count);
        Assert.All(calls.Zip(calls.Skip(1)), pair => Assert.Equal(CommittedOffsetsReader.RetryBackoff, pair.Second.At - pair.First.At));
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("offsets", error.Source);
        Assert.StartsWith("group \"g\": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("load in progress", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(h.Sink.Parts.OfType<GroupOffsetsPart>());
    }

    [Fact]
    public async Task A_coordinator_that_finishes_loading_gives_the_offsets()
    {
        var h = new ReaderHarness();
        var attempts = 0;
        h.Admin.OnListConsumerGroupOffsets = group => ++attempts == 1
            ? throw Cluster.OffsetFetchFailed(group, ErrorCode.GroupLoadInProgress)
            : Task.FromResult(new List<TopicPartitionOffsetError> { Cluster.Committed("t", 0, 5) });

        var gather = h.GatherAsync(ReaderHarness.OffsetsOnly(Budget, "g"));
        await h.Time.WaitForTimersAsync(ReaderHarness.FanOutDeadlineTimer + 1);
        h.Time.Advance(CommittedOffsetsReader.RetryBackoff);
        await gather;

        Assert.Equal([GroupOffsets.From("g", [new CommittedOffset("t", 0, 5)])], h.Sink.Parts.OfType<GroupOffsetsPart>().Single().Groups, GroupOffsetsComparer.Instance);
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task Another_offset_fetch_error_is_not_asked_again()
    {
        var h = new ReaderHarness();
        h.Admin.OnListConsumerGroupOffsets = group => throw Cluster.OffsetFetchFailed(group, ErrorCode.GroupAuthorizationFailed);

        await h.GatherAsync(ReaderHarness.OffsetsOnly(Budget, "g"));

        Assert.Single(h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets));
        Assert.Equal("offsets", Assert.Single(h.Sink.Errors).Source);
    }

    [Fact]
    public async Task A_partition_without_a_commit_is_left_out_and_a_failed_partition_is_reported()
    {
        var h = new ReaderHarness();
        h.Admin.OnListConsumerGroupOffsets = _ => Task.FromResult(new List<TopicPartitionOffsetError>
        {
            Cluster.Committed("t", 0, 5),
            Cluster.Committed("t", 1, Offset.Unset.Value),
            new(new TopicPartition("t", 2), Offset.Unset, new Error(ErrorCode.UnknownTopicOrPart)),
        });

        await h.GatherAsync(ReaderHarness.OffsetsOnly(Budget, "g"));

        Assert.Equal([new CommittedOffset("t", 0, 5)], h.Sink.Parts.OfType<GroupOffsetsPart>().Single().Groups.Single().Offsets);
        var error = Assert.Single(h.Sink.Errors);
        Assert.StartsWith("group \"g\": committed offset of t/2: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Committed_offsets_are_sent_in_parts_of_GroupsPerPart_groups()
    {
        var h = new ReaderHarness();
        var groups = Enumerable.Range(0, (2 * CommittedOffsetsReader.GroupsPerPart) + 1).Select(i => $"g{i}").ToArray();

        await h.GatherAsync(ReaderHarness.OffsetsOnly(Budget, groups));

        Assert.Equal([CommittedOffsetsReader.GroupsPerPart, CommittedOffsetsReader.GroupsPerPart, 1],
            h.Sink.Parts.OfType<GroupOffsetsPart>().Select(p => p.Groups.Count));
        Assert.Equal(groups.Order(), h.Sink.Parts.OfType<GroupOffsetsPart>().SelectMany(p => p.Groups).Select(g => g.GroupId).Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Offset_fetches_in_flight_never_exceed_max_concurrent_requests(int maxConcurrentRequests)
    {
        var h = new ReaderHarness(maxConcurrentRequests);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Admin.OnListConsumerGroupOffsets = async _ =>
        {
            await release.Task.ConfigureAwait(false);
            return [Cluster.Committed("t", 0, 5)];
        };
        var groups = Enumerable.Range(0, (5 * maxConcurrentRequests) + 1).Select(i => $"g{i}").ToArray();

        var gather = h.GatherAsync(ReaderHarness.OffsetsOnly(Budget, groups));
        await h.Admin.WaitForInFlightAsync(AdminApi.ListConsumerGroupOffsets, maxConcurrentRequests);
        release.SetResult();
        await gather;

        Assert.Equal(maxConcurrentRequests, h.Admin.MaxInFlight(AdminApi.ListConsumerGroupOffsets));
        Assert.Equal(groups.Length, h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets).Count);
        Assert.Empty(h.Sink.Errors);
    }

    private sealed class GroupOffsetsComparer : IEqualityComparer<GroupOffsets>
    {
        public static readonly GroupOffsetsComparer Instance = new();

        public bool Equals(GroupOffsets? x, GroupOffsets? y) =>
            x is not null && y is not null && x.GroupId == y.GroupId && x.Offsets.SequenceEqual(y.Offsets);

        public int GetHashCode(GroupOffsets obj) => obj.GroupId.GetHashCode(StringComparison.Ordinal);
    }
}
