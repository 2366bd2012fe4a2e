using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>The order and deadline rules of one gather (design.md §2, §4), on a fake admin and clock.</summary>
public class GatherReaderTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Watermarks_are_asked_only_after_every_committed_offset_was_read()
    {
        var h = new ReaderHarness();
        var committed = new TaskCompletionSource<List<TopicPartitionOffsetError>>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Admin.OnListGroups = _ => [Cluster.Listed("a"), Cluster.Listed("b")];
        h.Admin.OnListConsumerGroupOffsets = _ => committed.Task;

        var gather = h.GatherAsync(ReaderHarness.Everything(Budget));
        await h.Admin.WaitForInFlightAsync(AdminApi.ListConsumerGroupOffsets, 2);
        // The reader now waits for the offsets (or the reserve, on a clock that does not move).
        await h.Time.WaitForTimersAsync(ReaderHarness.FanOutDeadlineTimer + 1); // the offsets' fan-out, then the reserve
        Assert.Empty(h.Admin.CallsTo(AdminApi.ListOffsets));

        committed.SetResult([Cluster.Committed("t", 0, 5)]);
        await gather;

        var parts = h.Sink.Parts;
        var watermarksAt = IndexOf<WatermarksPart>(parts);
        Assert.All(parts.OfType<GroupOffsetsPart>(), p => Assert.True(Index(parts, p) < watermarksAt));
        Assert.Equal(2, h.Admin.CallsTo(AdminApi.ListOffsets).Count);
        Assert.Equal([KeyValuePair.Create(("t", 0), new Watermarks(0, 0, 10))], parts.OfType<WatermarksPart>().Single().Watermarks.Entries);
        Assert.Empty(h.Sink.Errors);
    }

    [Theory]
    [InlineData(20)] // the reserve is one admin call (6 s here)
    [InlineData(8)] // the reserve is at most half the budget
    public async Task A_slow_group_phase_starts_the_watermarks_when_only_the_reserve_is_left(int budgetSeconds)
    {
        var h = new ReaderHarness();
        var budget = TimeSpan.FromSeconds(budgetSeconds);
        var reserve = h.Settings.AdminCallTimeout < budget / 2 ? h.Settings.AdminCallTimeout : budget / 2;
        var watermarksStart = budget - reserve;
        var committed = new TaskCompletionSource<List<TopicPartitionOffsetError>>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Admin.OnListGroups = _ => [Cluster.Listed("slow")];
        h.Admin.OnListConsumerGroupOffsets = _ => committed.Task;

        var gather = h.GatherAsync(ReaderHarness.Everything(budget));
        await h.Admin.WaitForCallsAsync(AdminApi.ListConsumerGroupOffsets, 1);
        await h.Time.WaitForTimersAsync(ReaderHarness.FanOutDeadlineTimer + 1); // the offsets' fan-out, then the reserve
        h.Time.Advance(watermarksStart - TimeSpan.FromMilliseconds(1));
        Assert.Empty(h.Admin.CallsTo(AdminApi.ListOffsets));

        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        await h.Admin.WaitForCallsAsync(AdminApi.ListOffsets, 2);
        Assert.All(h.Admin.CallsTo(AdminApi.ListOffsets), call => Assert.Equal(watermarksStart, call.At));

        // The offset fetch still running is kept.
        committed.SetResult([Cluster.Committed("t", 0, 5)]);
        await gather;
        Assert.Equal("slow", h.Sink.Parts.OfType<GroupOffsetsPart>().Single().Groups.Single().GroupId);
        Assert.Single(h.Sink.Parts.OfType<WatermarksPart>());
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task When_the_deadline_passes_what_was_read_is_still_sent_and_the_rest_is_reported()
    {
        var h = new ReaderHarness(maxConcurrentRequests: 1);
        h.Admin.OnListGroups = _ => [Cluster.Listed("g1"), Cluster.Listed("g2"), Cluster.Listed("g3")];
        h.Admin.OnListConsumerGroupOffsets = group =>
        {
            // The first fetch takes the whole budget.
            h.Time.Advance(Budget);
            return Task.FromResult(new List<TopicPartitionOffsetError> { Cluster.Committed("t", 0, 5) });
        };

        await h.GatherAsync(ReaderHarness.Everything(Budget));

        var parts = h.Sink.Parts;
        Assert.Single(parts.OfType<MetadataPart>());
        Assert.Equal(["g1", "g2", "g3"], parts.OfType<GroupsPart>().Single().Groups.Select(g => g.GroupId));
        Assert.Equal("g1", parts.OfType<GroupOffsetsPart>().Single().Groups.Single().GroupId);
        Assert.Equal(["g1"], h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets).SelectMany(c => c.Items));
        Assert.Empty(h.Admin.CallsTo(AdminApi.ListOffsets));
        Assert.Equivalent(
            new[]
            {
                new GatherError("offsets", "2 groups (\"g2\", \"g3\"): committed offsets not fetched before the gather deadline"),
                new GatherError("watermarks", "1 partitions not read: the gather deadline was reached"),
            },
            h.Sink.Errors);
    }

    [Fact]
    public async Task A_leader_that_never_answers_costs_only_its_partitions_and_the_gather_ends_at_its_deadline()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = _ => Cluster.Metadata(("t", Partitions: 1, Leader: 1), ("u", Partitions: 1, Leader: 2));
        var silent = new TaskCompletionSource<ListOffsetsResult>();
        h.Admin.OnListOffsets = specs => specs.Any(s => s.TopicPartition.Topic == "u") ? silent.Task : Task.FromResult(Cluster.Offsets(specs, earliest: 0, latest: 10));

        var gather = h.GatherAsync(ReaderHarness.Everything(Budget));
        await h.Admin.WaitForCallsAsync(AdminApi.ListOffsets, 4); // both sides of both leaders started
        await h.Admin.WaitForInFlightAsync(AdminApi.ListOffsets, 2); // leader 2's never end
        h.Time.Advance(Budget - h.Time.Elapsed);
        await gather;

        Assert.Equal(Budget, h.Time.Elapsed);
        Assert.Equal([KeyValuePair.Create(("t", 0), new Watermarks(0, 0, 10))], h.Sink.Parts.OfType<WatermarksPart>().Single().Watermarks.Entries);
        Assert.Equivalent(
            new[]
            {
                new GatherError("watermarks", "earliest offset of partition \"u/0\": no answer before the gather deadline"),
                new GatherError("watermarks", "latest offset of partition \"u/0\": no answer before the gather deadline"),
            },
            h.Sink.Errors);

        // Its answer, when it comes, belongs to no gather.
        var sent = h.Sink.Parts.Count;
        silent.SetResult(Cluster.Offsets([new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition("u", 0), OffsetSpec = OffsetSpec.Latest() }], earliest: 0, latest: 10));
        Assert.Equal(sent, h.Sink.Parts.Count);
    }

    [Fact]
    public async Task A_coordinator_that_never_answers_costs_only_its_groups_and_the_others_offsets_are_sent_at_the_deadline()
    {
        var h = new ReaderHarness();
        h.Admin.OnListGroups = _ => [Cluster.Listed("fast"), Cluster.Listed("stuck")];
        h.Admin.OnListConsumerGroupOffsets = group => group == "stuck"
            ? new TaskCompletionSource<List<TopicPartitionOffsetError>>().Task
            : Task.FromResult(new List<TopicPartitionOffsetError> { Cluster.Committed("t", 0, 5) });

        var gather = h.GatherAsync(ReaderHarness.GroupsOnly(Budget));
        await h.Admin.WaitForCallsAsync(AdminApi.ListConsumerGroupOffsets, 2); // both started; "stuck" never ends
        h.Time.Advance(Budget - h.Time.Elapsed);
        await gather;

        Assert.Equal(Budget, h.Time.Elapsed);
        Assert.Equal("fast", h.Sink.Parts.OfType<GroupOffsetsPart>().Single().Groups.Single().GroupId);
        Assert.Equivalent(new[] { new GatherError("offsets", "group \"stuck\": committed offsets: no answer before the gather deadline") }, h.Sink.Errors);
    }

    [Fact]
    public async Task Offset_fetches_wait_for_the_metadata_so_a_Metadata_request_never_queues_behind_them()
    {
        var h = new ReaderHarness();
        using var metadataAnswers = new ManualResetEventSlim();
        MetadataAnswersWhenSet(h, metadataAnswers);

        var gather = h.GatherAsync(ReaderHarness.Everything(Budget));
        await h.Admin.WaitForCallsAsync(AdminApi.ListGroups, 1);
        await h.Time.WaitForTimersAsync(1); // the wait for the metadata: nothing else has started a timer yet
        Assert.Empty(h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets));

        metadataAnswers.Set();
        await gather;

        Assert.Single(h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets));
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task Metadata_slower_than_half_the_budget_holds_the_offset_fetches_back_no_longer()
    {
        var h = new ReaderHarness();
        using var metadataAnswers = new ManualResetEventSlim();
        MetadataAnswersWhenSet(h, metadataAnswers);

        var gather = h.GatherAsync(ReaderHarness.Everything(Budget));
        await h.Time.WaitForTimersAsync(1);
        h.Time.Advance(Budget / 2);
        await h.Admin.WaitForCallsAsync(AdminApi.ListConsumerGroupOffsets, 1);
        Assert.Equal(Budget / 2, h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets).Single().At);

        metadataAnswers.Set();
        await gather;
        Assert.Single(h.Sink.Parts.OfType<GroupOffsetsPart>());
    }

    /// <summary>One group "a"; the metadata (one partition) is answered only once <paramref name="answers"/> is set.</summary>
    private static void MetadataAnswersWhenSet(ReaderHarness h, ManualResetEventSlim answers)
    {
        h.Admin.OnGetMetadata = _ =>
        {
            answers.Wait(TestWait.Limit);
            return Cluster.Metadata(("t", Partitions: 1, Leader: 1));
        };
        h.Admin.OnListGroups = _ => [Cluster.Listed("a")];
    }

    [Fact]
    public async Task A_resumed_gather_fetches_only_the_offsets_still_missing()
    {
        var h = new ReaderHarness();
        var resumed = new GatherRequest(7, Budget, WantMetadata: false, WantGroups: false, OffsetGroups: new OffsetGroupSelection.These(["b"]), WantWatermarks: true, KnownGroups: ["a", "b"]);

        await h.GatherAsync(resumed);

        Assert.Empty(h.Admin.CallsTo(AdminApi.ListGroups));
        Assert.Empty(h.Admin.CallsTo(AdminApi.DescribeConsumerGroups));
        Assert.Equal(["b"], h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets).SelectMany(c => c.Items));
        var parts = h.Sink.Parts;
        Assert.Empty(parts.OfType<MetadataPart>());
        Assert.Empty(parts.OfType<GroupsPart>());
        Assert.Equal("b", parts.OfType<GroupOffsetsPart>().Single().Groups.Single().GroupId);
        Assert.Single(parts.OfType<WatermarksPart>());
    }

    [Fact]
    public async Task The_groups_are_sent_before_any_offset_fetch_so_a_crash_in_one_resumes_without_listing_again()
    {
        var h = new ReaderHarness();
        h.Admin.OnListGroups = _ => [Cluster.Listed("a")];
        var groupsSentFirst = false;
        h.Admin.OnListConsumerGroupOffsets = _ =>
        {
            groupsSentFirst = h.Sink.Parts.OfType<GroupsPart>().Any();
            return Task.FromResult(new List<TopicPartitionOffsetError>());
        };

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget));

        Assert.True(groupsSentFirst);
    }

    [Theory]
    [InlineData(ErrorCode.Local_TimedOut, true)]
    [InlineData(ErrorCode.GroupAuthorizationFailed, false)]
    public async Task A_timed_out_coordinator_request_asks_for_the_worker_to_be_replaced(ErrorCode failure, bool replace)
    {
        var h = new ReaderHarness();
        h.Admin.OnListConsumerGroupOffsets = _ => throw new KafkaException(failure);

        await h.GatherAsync(ReaderHarness.OffsetsOnly(Budget, "g"));

        // The worker host puts this flag on the gather's GatherDone.
        Assert.Equal(replace, h.Health.CoordinatorRequestTimedOut);
        Assert.Single(h.Sink.Errors, e => e.Source == "offsets");
    }

    private static int IndexOf<TPart>(IReadOnlyList<GatherPart> parts) => parts.ToList().FindIndex(p => p is TPart);

    private static int Index(IReadOnlyList<GatherPart> parts, GatherPart part) => parts.ToList().IndexOf(part);
}
