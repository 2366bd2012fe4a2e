using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;
using static KafkaExecdInput.Tests.LagStatus.StatusLines;

namespace KafkaExecdInput.Tests.LagStatus;

/// <summary>
/// Lag status (Burrow's rules) and lag in seconds as a user sees them: the built plugin, one process
/// driven by newlines as Telegraf drives it, the real Confluent.Kafka client in its worker, the test
/// cluster as Kafka, and lag_status_window = 3 so a window fills in three gathers. Each scenario
/// asserts the exact status lines of every gather. The window is a count of gathers, so the plugin's
/// clock does not matter to status; where lag in seconds is checked, the records carry timestamps
/// the test set and the truth is taken at the gather's own timestamp, bounded by how long it took.
/// </summary>
public sealed class LagStatusScenarioTests : IAsyncDisposable
{
    private const int Window = 3;
    private const string Topic = "events";
    private readonly TestCluster _cluster = TestCluster.Start();

    /// <summary>The records of <see cref="Topic"/>/0 were written one every <see cref="Step"/>, record 0 at <see cref="_recordZero"/>.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly DateTimeOffset _recordZero = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);

    public LagStatusScenarioTests()
    {
        _cluster.CreateTopic(Topic, 1, replicationFactor: 1);
        _cluster.SetRecordTimestamps(Topic, 0, _recordZero, Step);
        _cluster.SetWatermarks(Topic, 0, 0, 1_000);
    }

    /// <summary>A classic group, Stable, with one member that owns <see cref="Topic"/>/0: someone is there to commit.</summary>
    private void WithMember(string group) =>
        _cluster.SetGroup(new GroupSpec(group, GroupState.Stable,
            [new MemberSpec($"{group}-1-0c0ffee", $"{group}-1", "/10.0.0.1", [new TopicPartitionRef(Topic, 0)])]));

    private void Produce(long messages) => _cluster.AdvanceHighWatermark(Topic, 0, messages);

    private void Commit(string group, long offset) => _cluster.CommitOffset(group, Topic, 0, offset);

    private long High => _cluster.GetWatermarks(Topic, 0).High;

    [Fact]
    public async Task A_consumer_that_stopped_with_nobody_left_in_its_group_is_STOP_and_its_group_ERR()
    {
        Commit("stopped", 400); // committed once, then the group emptied: no members
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window);
        List<IReadOnlyList<string>> seen = [];
        for (var gather = 0; gather < 4; gather++)
        {
            Produce(100);
            seen.Add(Of(await plugin.GatherAsync(), "stopped"));
        }

        Assert.Equal<IReadOnlyList<string>>(
        [
            [], // one observation with lag: nothing can be said yet, so nothing is written
            [Group("stopped", "ERR", 4, "0"), Partition("stopped", Topic, 0, "STOP", 5, "0.667")],
            [Group("stopped", "ERR", 4, "1"), Partition("stopped", Topic, 0, "STOP", 5, "1")],
            [Group("stopped", "ERR", 4, "1"), Partition("stopped", Topic, 0, "STOP", 5, "1")],
        ], seen);
    }

    [Fact]
    public async Task A_member_committing_the_same_offset_while_lag_exists_is_STALL_and_its_group_ERR()
    {
        WithMember("stalled");
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window);
        List<IReadOnlyList<string>> seen = [];
        for (var gather = 0; gather < 4; gather++)
        {
            Produce(100);
            Commit("stalled", 400); // the member is alive and commits, but always the same offset
            seen.Add(Of(await plugin.GatherAsync(), "stalled"));
        }

        Assert.Equal<IReadOnlyList<string>>(
        [
            [],
            [Group("stalled", "ERR", 4, "0"), Partition("stalled", Topic, 0, "STALL", 6, "0.667")],
            [Group("stalled", "ERR", 4, "1"), Partition("stalled", Topic, 0, "STALL", 6, "1")],
            [Group("stalled", "ERR", 4, "1"), Partition("stalled", Topic, 0, "STALL", 6, "1")],
        ], seen);
    }

    [Fact]
    public async Task A_consumer_slower_than_its_producer_is_WARN_for_the_whole_window_and_OK_once_its_lag_decreases()
    {
        WithMember("lagging");
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window);
        var committed = 400L;
        List<IReadOnlyList<string>> seen = [];
        // 100 produced, 50 consumed per gather: lag 600, 650, 700, 750, never decreasing while the offset moves.
        for (var gather = 0; gather < 4; gather++)
        {
            Produce(gather == 0 ? 0 : 100);
            Commit("lagging", committed += gather == 0 ? 0 : 50);
            seen.Add(Of(await plugin.GatherAsync(), "lagging"));
        }
        // It speeds up: 100 produced, 200 consumed (lag 650), then it catches up (lag 0).
        Produce(100);
        Commit("lagging", committed += 200);
        seen.Add(Of(await plugin.GatherAsync(), "lagging"));
        Produce(100);
        Commit("lagging", High);
        seen.Add(Of(await plugin.GatherAsync(), "lagging"));

        Assert.Equal<IReadOnlyList<string>>(
        [
            [],
            [Group("lagging", "WARN", 3, "0"), Partition("lagging", Topic, 0, "WARN", 3, "0.667")],
            [Group("lagging", "WARN", 3, "1"), Partition("lagging", Topic, 0, "WARN", 3, "1")],
            [Group("lagging", "WARN", 3, "1"), Partition("lagging", Topic, 0, "WARN", 3, "1")],
            [Group("lagging", "OK", 1, "1"), Partition("lagging", Topic, 0, "OK", 1, "1")],
            [Group("lagging", "OK", 1, "1"), Partition("lagging", Topic, 0, "OK", 1, "1")],
        ], seen);
    }

    [Fact]
    public async Task A_rewind_is_REWIND_while_the_backward_step_is_in_the_window_then_OK()
    {
        WithMember("rewinder");
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window);
        List<IReadOnlyList<string>> seen = [];
        // Nothing produced; lag 600, 500, then back to 700 (the rewind), 600, 500.
        foreach (var offset in new long[] { 400, 500, 300, 400, 500 })
        {
            Commit("rewinder", offset);
            seen.Add(Of(await plugin.GatherAsync(), "rewinder"));
        }

        Assert.Equal<IReadOnlyList<string>>(
        [
            [],
            [Group("rewinder", "OK", 1, "0"), Partition("rewinder", Topic, 0, "OK", 1, "0.667")],
            [Group("rewinder", "ERR", 4, "1"), Partition("rewinder", Topic, 0, "REWIND", 7, "1")],
            [Group("rewinder", "ERR", 4, "1"), Partition("rewinder", Topic, 0, "REWIND", 7, "1")],
            [Group("rewinder", "OK", 1, "1"), Partition("rewinder", Topic, 0, "OK", 1, "1")],
        ], seen);
    }

    [Fact]
    public async Task A_group_reset_to_earliest_is_REWIND_and_reads_the_age_of_record_0_and_one_reset_to_latest_is_OK_with_0_seconds_at_once()
    {
        WithMember("replayer");
        WithMember("skipper");
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window, "  lag_seconds_exact = true");
        Commit("replayer", 400);
        Commit("skipper", 400);
        await plugin.GatherAsync();
        Produce(100);
        Commit("replayer", 450);
        Commit("skipper", 450);
        var before = await plugin.GatherAsync();
        Produce(100);
        Commit("replayer", 0); // kafka-consumer-groups --reset-offsets --to-earliest
        Commit("skipper", High); // --to-latest
        var after = await plugin.GatherAsync();

        Assert.Equal([Group("replayer", "WARN", 3, "0"), Partition("replayer", Topic, 0, "WARN", 3, "0.667")], Of(before, "replayer"));
        Assert.Equal([Group("replayer", "ERR", 4, "1"), Partition("replayer", Topic, 0, "REWIND", 7, "1")], Of(after, "replayer"));
        Assert.Equal([Group("skipper", "OK", 1, "1"), Partition("skipper", Topic, 0, "OK", 1, "1")], Of(after, "skipper"));
        AssertExactAge(after, "replayer", _recordZero);
        var skipped = SecondsLine(after, "skipper", Topic, 0)!;
        Assert.Equal((0.0, 0L), ((double)skipped.Field("seconds")!, (long)skipped.Field("seconds_source")!));
    }

    [Fact]
    public async Task Retention_passing_a_stopped_groups_offset_keeps_it_STOP_and_its_lag_seconds_the_age_of_the_oldest_record_left()
    {
        Commit("archiver", 400);
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window, "  lag_seconds_exact = true");
        Produce(100);
        await plugin.GatherAsync();
        Produce(100);
        _cluster.SetWatermarks(Topic, 0, 600, High); // retention deleted offsets 0-599, the committed 400 among them
        var gather = await plugin.GatherAsync();

        Assert.Equal([Group("archiver", "ERR", 4, "0"), Partition("archiver", Topic, 0, "STOP", 5, "0.667")], Of(gather, "archiver"));
        AssertExactAge(gather, "archiver", _recordZero + (Step * 600));
    }

    [Fact]
    public async Task On_an_idle_topic_a_caught_up_group_is_OK_at_0_seconds_and_a_group_stuck_behind_is_STALL_at_the_age_of_its_next_record()
    {
        WithMember("caught-up");
        WithMember("stuck");
        Commit("caught-up", 1_000);
        Commit("stuck", 900);
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window, "  lag_seconds_exact = true");
        List<Gather> gathers = [];
        for (var gather = 0; gather < 3; gather++)
        {
            gathers.Add(await plugin.GatherAsync()); // nothing produced, nothing committed
        }

        Assert.Equal<IReadOnlyList<string>>(
        [
            [Group("caught-up", "OK", 1, "0"), Partition("caught-up", Topic, 0, "OK", 1, "0.333")],
            [Group("caught-up", "OK", 1, "0"), Partition("caught-up", Topic, 0, "OK", 1, "0.667")],
            [Group("caught-up", "OK", 1, "1"), Partition("caught-up", Topic, 0, "OK", 1, "1")],
        ], gathers.Select(g => Of(g, "caught-up")).ToList());
        Assert.Equal<IReadOnlyList<string>>(
        [
            [],
            [Group("stuck", "ERR", 4, "0"), Partition("stuck", Topic, 0, "STALL", 6, "0.667")],
            [Group("stuck", "ERR", 4, "1"), Partition("stuck", Topic, 0, "STALL", 6, "1")],
        ], gathers.Select(g => Of(g, "stuck")).ToList());
        Assert.All(gathers, g => Assert.Equal((0.0, 0L), ((double)SecondsLine(g, "caught-up", Topic, 0)!.Field("seconds")!, (long)SecondsLine(g, "caught-up", Topic, 0)!.Field("seconds_source")!)));
        Assert.All(gathers, g => AssertExactAge(g, "stuck", _recordZero + (Step * 900)));
    }

    [Fact]
    public async Task A_burst_the_consumer_works_through_stays_OK_because_its_lag_decreases()
    {
        WithMember("burst-reader");
        Commit("burst-reader", 1_000);
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window);
        List<IReadOnlyList<string>> seen = [Of(await plugin.GatherAsync(), "burst-reader")];
        Produce(5_000); // a burst of 5,000 lands between two gathers
        foreach (var offset in new long[] { 2_000, 4_000, 5_500, 6_000 })
        {
            Commit("burst-reader", offset); // lag 4,000, 2,000, 500, then 0
            seen.Add(Of(await plugin.GatherAsync(), "burst-reader"));
        }

        // Lag 0 is in the window until the third gather after the burst; then the lag decreases, so it is never WARN.
        Assert.Equal<IReadOnlyList<string>>(
        [
            [Group("burst-reader", "OK", 1, "0"), Partition("burst-reader", Topic, 0, "OK", 1, "0.333")],
            [Group("burst-reader", "OK", 1, "0"), Partition("burst-reader", Topic, 0, "OK", 1, "0.667")],
            [Group("burst-reader", "OK", 1, "1"), Partition("burst-reader", Topic, 0, "OK", 1, "1")],
            [Group("burst-reader", "OK", 1, "1"), Partition("burst-reader", Topic, 0, "OK", 1, "1")],
            [Group("burst-reader", "OK", 1, "1"), Partition("burst-reader", Topic, 0, "OK", 1, "1")],
        ], seen);
    }

    [Fact]
    public async Task A_group_is_as_bad_as_its_worst_partition_and_each_partition_keeps_its_own_status()
    {
        _cluster.CreateTopic("orders", 2, replicationFactor: 1);
        _cluster.SetWatermarks("orders", 0, 0, 1_000);
        _cluster.SetWatermarks("orders", 1, 0, 1_000);
        _cluster.SetGroup(new GroupSpec("mixed", GroupState.Stable,
            [new MemberSpec("mixed-1-0c0ffee", "mixed-1", "/10.0.0.1", [new TopicPartitionRef("orders", 0), new TopicPartitionRef("orders", 1)])]));
        await using var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window);
        Gather last = null!;
        for (var gather = 0; gather < 3; gather++)
        {
            _cluster.CommitOffset("mixed", "orders", 0, 1_000); // caught up
            _cluster.CommitOffset("mixed", "orders", 1, 400); // stuck
            last = await plugin.GatherAsync();
        }

        Assert.Equal(
        [
            Group("mixed", "ERR", 4, "1"),
            Partition("mixed", "orders", 0, "OK", 1, "1"),
            Partition("mixed", "orders", 1, "STALL", 6, "1"),
        ], Of(last, "mixed"));
    }

    /// <summary>
    /// Exact mode's value is the age of the record at <paramref name="written"/> when the plugin
    /// computed it: no earlier than the gather's timestamp (its start), no later than its end.
    /// </summary>
    private static void AssertExactAge(Gather gather, string group, DateTimeOffset written)
    {
        var line = SecondsLine(gather, group, Topic, 0);
        Assert.True(line is not null, gather.ToString());
        Assert.Equal(1L, line.Field("seconds_source"));
        var atStart = (Timestamp(gather) - written).TotalSeconds;
        Assert.InRange((double)line.Field("seconds")!, atStart - 0.001, atStart + gather.Elapsed.TotalSeconds + 0.001);
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
