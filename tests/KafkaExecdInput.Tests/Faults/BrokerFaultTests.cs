using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// Fault matrix, brokers and partitions: a broker down before and during a gather, slower than
/// request_timeout, never answering; offline partitions and LEADER_NOT_AVAILABLE; a topic deleted
/// between metadata and offsets; ListGroups failing on one broker. Each case runs the built plugin
/// as Telegraf does against the test cluster (<see cref="FaultSession"/> checks what must hold in
/// every case) and then checks what this fault may cost and that the next healthy gather is whole.
/// </summary>
public sealed class BrokerFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FaultCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = FaultCluster.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>A broker id that leads nothing: every partition must have offsets.</summary>
    private const int NoBroker = int.MinValue;

    private TestCluster Cluster => _cluster.Cluster;

    [Fact]
    public async Task A_broker_down_before_a_gather_costs_only_its_part_and_the_gather_after_it_is_back_is_complete()
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        const int down = 2;
        Cluster.Faults.BrokerDown(down);
        var faulty = await session.GatherAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        Assert.Equal(2, faulty.Lines.Single("kafka").Int("brokers"));
        AssertOffsetsExactlyForLeadersOtherThan(faulty, down);
        AssertGroupsOfOtherCoordinatorsHaveOffsets(faulty, down);

        Cluster.Faults.BrokerUp(down);
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task A_broker_going_down_during_a_gather_costs_only_that_gather()
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        // Partition offsets are the last phase; slowed down, the broker dies while the gather runs.
        const int down = 3;
        Cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(400), api: ApiKey.ListOffsets);
        var listOffsetsBefore = Cluster.Counters.Requests(ApiKey.ListOffsets);
        await session.RequestAsync();
        await WaitUntilAsync(() => Cluster.Counters.Requests(ApiKey.ListOffsets) > listOffsetsBefore);
        Cluster.Faults.BrokerDown(down);
        var faulty = await session.NextAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        Assert.Equal(9, faulty.Measurement("kafka_topic_partition").Count());
        // What the live leaders answered is kept.
        Assert.Contains(faulty.Measurement("kafka_topic_partition"), l => l.Int("leader") != down && l.Field("current_offset") is long);
        var ledByDown = faulty.Measurement("kafka_topic_partition").Where(l => l.Int("leader") == down).ToList();
        Assert.NotEmpty(ledByDown);
        Assert.All(ledByDown, l => Assert.Null(l.Field("current_offset")));

        Cluster.Faults.Clear();
        Cluster.Faults.BrokerUp(down);
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task A_broker_slower_than_request_timeout_ends_the_gather_by_its_deadline_with_everything_else()
    {
        using var config = _cluster.Config(timeout: "3s", requestTimeout: "1s");
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        const int slow = 2;
        Cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(1500), brokerId: slow);
        var faulty = await session.GatherAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        AssertEndedByDeadline(faulty, config);
        AssertOffsetsExactlyForLeadersOtherThan(faulty, slow);
        AssertGroupsOfOtherCoordinatorsHaveOffsets(faulty, slow);

        Cluster.Faults.Clear();
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task A_broker_that_never_answers_ends_the_gather_by_its_deadline_with_everything_else()
    {
        using var config = _cluster.Config(timeout: "3s", requestTimeout: "1s");
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        const int silent = 1;
        foreach (var api in Enum.GetValues<ApiKey>())
        {
            Cluster.Faults.NeverAnswer(api, silent);
        }
        var faulty = await session.GatherAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        AssertEndedByDeadline(faulty, config);
        AssertOffsetsExactlyForLeadersOtherThan(faulty, silent);
        AssertGroupsOfOtherCoordinatorsHaveOffsets(faulty, silent);

        Cluster.Faults.Clear();
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task A_coordinator_slower_than_the_timeout_ends_the_gather_by_its_deadline_with_the_other_groups()
    {
        // request_timeout as long as the timeout: the offset fetches neither answer nor time out before the
        // deadline (the answer would come at 4 s, the network timeout at 3 s after each was sent), and
        // the block must not wait for them.
        using var config = _cluster.Config(timeout: "3s", requestTimeout: "3s");
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        const int slow = 2;
        Cluster.Faults.AddLatency(TimeSpan.FromSeconds(4), brokerId: slow, api: ApiKey.OffsetFetch);
        var faulty = await session.GatherAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        AssertEndedByDeadline(faulty, config);
        AssertGroupsOfOtherCoordinatorsHaveOffsets(faulty, slow);
        // Every partition: the offset fetches wait for the metadata (GatherReader.WaitForMetadataAsync).
        // Sent after them on the slow broker's connection, the Metadata request waited behind their 4 s
        // responses and the gather had no partitions (seen once in CI).
        Assert.Equal(9, faulty.Measurement("kafka_topic_partition").Count());

        Cluster.Faults.Clear();
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task Five_thousand_groups_over_a_20_ms_network_end_the_gather_by_its_deadline_with_every_partitions_offsets()
    {
        // Each group costs a FindCoordinator and an OffsetFetch round trip; 5,001 of them at 20 ms with 32
        // in flight take at least 6 s, so the deadline cuts the group phase. (At the default of 256 they
        // would fit: 0.8 s.)
        await using var far = FaultCluster.Start(new ClusterOptions { Brokers = 3, NetworkRoundTrip = TimeSpan.FromMilliseconds(20) }, groupsPerBroker: 1_667);
        using var config = far.Config("  max_concurrent_requests = 32", timeout: "2s", requestTimeout: "2s");
        await using var session = FaultSession.Start(config, output);

        // The first gather of a fresh plugin also pays the JIT for 40,000 lines (about 1 s here, issue 11's
        // cold start); the deadline rule is measured on the next.
        _ = await session.GatherAsync();
        var cut = await session.GatherAsync();

        Assert.True(cut.Partial, cut.ToString());
        AssertEndedByDeadline(cut, config);
        var withOffsets = FaultCluster.GroupsWithOffsets(cut).Count;
        output.WriteLine($"groups with offsets: {withOffsets} of {far.Groups.Count}");
        Assert.InRange(withOffsets, 1, far.Groups.Count - 1);
        // The watermarks started while the group phase was still running (GatherReader.WatermarksReserve).
        Assert.Equal(9, FaultCluster.PartitionsWithOffsets(cut, FaultCluster.Orders).Count + FaultCluster.PartitionsWithOffsets(cut, FaultCluster.Audit).Count);
        await session.StopAsync();
    }

    [Fact]
    public async Task An_offline_partition_is_reported_with_leader_minus_one_and_no_offsets_without_failing_the_gather()
    {
        Cluster.SetPartition(FaultCluster.Orders, 2, [3, 1, 2], leader: -1, isr: []);
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);

        var gather = await session.GatherAsync();

        // Nobody can be asked for its offsets: that is the partition's state, not a failed collection.
        Assert.False(gather.Partial, gather.ToString());
        var offline = gather.Lines.Single("kafka_topic_partition", ("partition", "2"), ("topic", FaultCluster.Orders));
        Assert.Equal(-1, offline.Int("leader"));
        Assert.Equal(0, offline.Int("in_sync_replica"));
        Assert.Equal(1, offline.Int("under_replicated_partition"));
        Assert.Equal(0, offline.Int("leader_is_preferred"));
        Assert.Null(offline.Field("current_offset"));
        Assert.Equal(8, FaultCluster.PartitionsWithOffsets(gather, FaultCluster.Orders).Count + FaultCluster.PartitionsWithOffsets(gather, FaultCluster.Audit).Count);

        Cluster.SetPartition(FaultCluster.Orders, 2, [3, 1, 2], leader: 3, isr: [3, 1, 2]);
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task Leader_not_available_from_list_offsets_costs_at_most_that_partitions_offsets_and_is_counted()
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        // Every ListOffsets request broker 1 receives during this gather fails (leader election).
        Cluster.Faults.FailNext(ApiKey.ListOffsets, ErrorCodes.LeaderNotAvailable, count: 1_000, brokerId: 1);
        var faulty = await session.GatherAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        AssertOffsetsExactlyForLeadersOtherThan(faulty, 1);

        Cluster.Faults.Clear();
        _cluster.AssertComplete(await session.GatherAsync());
        var stderr = await session.StopAsync();
        Assert.Contains(stderr, l => l.StartsWith("E! ", StringComparison.Ordinal) && l.Contains("LeaderNotAvailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_topic_deleted_between_metadata_and_offsets_costs_only_its_offsets()
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        // Metadata has been read once ListOffsets requests arrive; they wait, and the topic goes meanwhile.
        Cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(300), api: ApiKey.ListOffsets);
        var listOffsetsBefore = Cluster.Counters.Requests(ApiKey.ListOffsets);
        await session.RequestAsync();
        await WaitUntilAsync(() => Cluster.Counters.Requests(ApiKey.ListOffsets) > listOffsetsBefore);
        _cluster.DeleteTopic(FaultCluster.Audit);
        var faulty = await session.NextAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        Assert.Empty(FaultCluster.PartitionsWithOffsets(faulty, FaultCluster.Audit));
        // Under load a ListOffsets call may start after the deletion and fail as a whole (Kafka/WatermarksReader).
        Assert.True(FaultCluster.PartitionsWithOffsets(faulty, FaultCluster.Orders).Count == 6, faulty.ToString());

        Cluster.Faults.Clear();
        var after = await session.GatherAsync();
        _cluster.AssertComplete(after);
        Assert.DoesNotContain(after.Measurement("kafka_topic_partition"), l => l.Tag("topic") == FaultCluster.Audit);
        await session.StopAsync();
    }

    [Fact]
    public async Task List_groups_failing_once_on_one_broker_keeps_topics_brokers_and_the_other_brokers_groups()
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);

        // On the very first gather, when no groups are known yet.
        const int failing = 2;
        Cluster.Faults.FailNext(ApiKey.ListGroups, ErrorCodes.CoordinatorNotAvailable, count: 1, brokerId: failing);
        var first = await session.GatherAsync();

        Assert.Equal(1, Cluster.Faults.FailuresAnswered(ApiKey.ListGroups, failing));
        AssertOffsetsExactlyForLeadersOtherThan(first, NoBroker);
        Assert.Equal(Cluster.BrokerIds.Count, first.Lines.Single("kafka").Int("brokers"));
        var others = _cluster.Groups.Except(_cluster.GroupsCoordinatedBy(failing)).ToHashSet();
        Assert.True(others.IsSubsetOf(FaultCluster.GroupsListed(first)), first.ToString());
        Assert.True(others.IsSubsetOf(FaultCluster.GroupsWithOffsets(first)), first.ToString());
        // Not asserted: the failing broker's own groups. librdkafka's classic listing forgets a
        // broker's error when another broker's DescribeGroups answer comes after it, so on a first
        // gather they can be missing without an error (Kafka/README.md); the listing is retried when
        // the error does come through.

        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task List_groups_failing_on_one_broker_for_good_still_reports_every_known_group_and_says_so()
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        const int failing = 2;
        Cluster.Faults.FailNext(ApiKey.ListGroups, ErrorCodes.CoordinatorNotAvailable, count: 10_000, brokerId: failing);
        for (var gather = 0; gather < 2; gather++)
        {
            var faulty = await session.GatherAsync();

            Assert.True(faulty.Partial, faulty.ToString());
            AssertOffsetsExactlyForLeadersOtherThan(faulty, NoBroker);
            Assert.Equal(_cluster.Groups.Order(StringComparer.Ordinal), FaultCluster.GroupsListed(faulty).Order(StringComparer.Ordinal));
            Assert.Equal(_cluster.Groups.Order(StringComparer.Ordinal), FaultCluster.GroupsWithOffsets(faulty).Order(StringComparer.Ordinal));
        }

        Cluster.Faults.Clear();
        _cluster.AssertComplete(await session.GatherAsync());
        var stderr = await session.StopAsync();
        // One summary per faulty gather, each naming the listing.
        var summaries = stderr.Where(l => l.StartsWith("E! collection incomplete", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, l => Assert.Contains("listing", l, StringComparison.Ordinal));
    }

    /// <summary>All nine partitions are reported; those led by <paramref name="brokerId"/> lack offsets, all others have them.</summary>
    private static void AssertOffsetsExactlyForLeadersOtherThan(Gather gather, int brokerId)
    {
        Assert.True(gather.Measurement("kafka_topic_partition").Count() == 9, $"expected 9 partition lines:\n{gather}");
        foreach (var line in gather.Measurement("kafka_topic_partition"))
        {
            var hasOffsets = line.Field("current_offset") is long && line.Field("oldest_offset") is long;
            Assert.True(hasOffsets == (line.Int("leader") != brokerId),
                $"{line.Tag("topic")}/{line.Tag("partition")} led by {line.Int("leader")}: offsets {(hasOffsets ? "present" : "missing")}\n{gather}");
        }
    }

    /// <summary>Every group coordinated by another broker has its members line and its committed offsets.</summary>
    private void AssertGroupsOfOtherCoordinatorsHaveOffsets(Gather gather, int brokerId)
    {
        var others = _cluster.Groups.Except(_cluster.GroupsCoordinatedBy(brokerId)).ToHashSet();
        Assert.True(others.IsSubsetOf(FaultCluster.GroupsWithOffsets(gather)), $"groups of live coordinators lack offsets:\n{gather}");
        Assert.True(others.IsSubsetOf(FaultCluster.GroupsListed(gather)), $"groups of live coordinators lack members:\n{gather}");
    }

    /// <summary>The block came by the gather's deadline, as the plugin computes it from this config (<see cref="GatherBudget"/>).</summary>
    private void AssertEndedByDeadline(Gather gather, PluginConfigFile config)
    {
        var bound = GatherBudget.EndByDeadline(config);
        output.WriteLine($"gather ended after {gather.Elapsed.TotalSeconds:0.00}s, bound {bound.TotalSeconds:0.00}s");
        Assert.True(gather.Elapsed < bound, $"the gather took {gather.Elapsed.TotalSeconds:0.00}s, bound {bound.TotalSeconds:0.00}s");
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(10);
        }
    }
}
