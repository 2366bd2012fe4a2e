using KafkaTestCluster;

namespace KafkaExecdInput.Tests.LagSeconds;

/// <summary>
/// Lag in seconds through the real client against the test cluster, whose records have known
/// timestamps (SetRecordTimestamps: record i written at base + i·step), with the plugin's clock in
/// the test's hands. A producer writes <see cref="Rate"/> records a second, so the record at offset i
/// is written when the latest offset reaches i + 1, at <see cref="T0"/> + (i + 1) / Rate.
/// </summary>
public sealed class LagSecondsScenarioTests : IAsyncDisposable
{
    private const int Rate = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly TestCluster _cluster = TestCluster.Start();

    /// <summary>Sets the latest offset to what a steady producer since <see cref="T0"/> has written by <paramref name="now"/>.</summary>
    private void Produce(string topic, DateTimeOffset now) =>
        _cluster.SetWatermarks(topic, 0, _cluster.GetWatermarks(topic, 0).Low, (long)((now - T0).TotalSeconds * Rate));

    private void SteadyTopic(string topic)
    {
        _cluster.CreateTopic(topic, 1, replicationFactor: 1);
        _cluster.SetRecordTimestamps(topic, 0, T0 + TimeSpan.FromSeconds(1.0 / Rate), TimeSpan.FromSeconds(1.0 / Rate));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_consumer_30s_behind_a_steady_producer_reads_30s_exactly_in_exact_mode_and_from_history_once_it_spans_30s(bool exact)
    {
        SteadyTopic("steady");
        var start = T0 + TimeSpan.FromMinutes(10);
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact, start);
        var behind = TimeSpan.FromSeconds(30);
        for (var gather = 0; gather < 6; gather++)
        {
            var now = plugin.Clock.GetUtcNow();
            Produce("steady", now);
            _cluster.CommitOffset("slow", "steady", 0, (long)((now - behind - T0).TotalSeconds * Rate) - 1);
            var lines = await plugin.GatherAsync();
            var lag = lines.LagSeconds("slow", "steady", 0);
            var context = $"gather {gather}: {lag}\n{lines.Dump()}\n{string.Join("; ", plugin.Errors)}";
            var historySpan = Interval * gather;
            if (exact)
            {
                Assert.True(lag is { Source: 1 }, context);
                Assert.InRange(lag.Value.Seconds, behind.TotalSeconds - 0.001, behind.TotalSeconds + 0.001);
            }
            else if (gather == 0)
            {
                Assert.True(lag is null, $"no history yet, yet the plugin wrote {context}");
            }
            else if (historySpan <= behind)
            {
                // The record is older than the history: its age is reported as a lower bound.
                Assert.True(lag is { Source: 3 }, context);
                Assert.Equal(historySpan.TotalSeconds, lag.Value.Seconds);
            }
            else
            {
                // A steady producer is what linear interpolation assumes: exact up to one record.
                Assert.True(lag is { Source: 2 }, context);
                Assert.InRange(lag.Value.Seconds, behind.TotalSeconds - (1.0 / Rate) - 0.001, behind.TotalSeconds + 0.001);
            }
            Assert.Empty(plugin.Errors);
            plugin.Clock.Advance(Interval);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_an_idle_topic_a_caught_up_group_reads_0_and_a_group_behind_reads_the_age_of_its_next_record(bool exact)
    {
        SteadyTopic("idle");
        var idleSince = T0 + TimeSpan.FromMinutes(1); // 600 records, then nothing for an hour
        Produce("idle", idleSince);
        var start = idleSince + TimeSpan.FromHours(1);
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact, start);
        _cluster.CommitOffset("caught-up", "idle", 0, 600);
        _cluster.CommitOffset("behind", "idle", 0, 300); // written at T0 + 30.1 s

        await plugin.GatherAsync();
        plugin.Clock.Advance(Interval);
        var lines = await plugin.GatherAsync();

        Assert.Equal((0.0, 0L), lines.LagSeconds("caught-up", "idle", 0));
        var behind = lines.LagSeconds("behind", "idle", 0);
        Assert.True(behind is not null, lines.Dump());
        var truth = (plugin.Clock.GetUtcNow() - (T0 + TimeSpan.FromSeconds(30.1))).TotalSeconds;
        if (exact)
        {
            Assert.Equal((truth, 1L), (Math.Round(behind.Value.Seconds, 3), behind.Value.Source));
        }
        else
        {
            // The history began an hour into the idle time: it can only say "at least since then".
            Assert.Equal((Interval.TotalSeconds, 3L), behind.Value);
            Assert.True(behind.Value.Seconds <= truth);
        }
    }

    [Fact]
    public async Task A_burst_between_two_gathers_is_placed_within_that_interval_never_outside_it()
    {
        _cluster.CreateTopic("bursty", 1, replicationFactor: 1);
        var start = T0;
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact: false, start);
        _cluster.SetWatermarks("bursty", 0, 0, 100);
        _cluster.CommitOffset("reader", "bursty", 0, 100);
        await plugin.GatherAsync();
        plugin.Clock.Advance(Interval);
        await plugin.GatherAsync(); // still idle
        var quietUntil = plugin.Clock.GetUtcNow();
        plugin.Clock.Advance(Interval);
        _cluster.SetWatermarks("bursty", 0, 0, 5_100); // the burst lands somewhere in the last interval
        var afterBurst = await plugin.GatherAsync();
        plugin.Clock.Advance(TimeSpan.FromMinutes(1));
        _cluster.SetWatermarks("bursty", 0, 0, 5_100);
        var later = await plugin.GatherAsync();

        var lag = afterBurst.LagSeconds("reader", "bursty", 0);
        Assert.True(lag is not null, afterBurst.Dump());
        Assert.Equal(2, lag.Value.Source);
        Assert.InRange(lag.Value.Seconds, 0, Interval.TotalSeconds);
        var lagLater = later.LagSeconds("reader", "bursty", 0)!.Value;
        Assert.InRange(lagLater.Seconds, (plugin.Clock.GetUtcNow() - quietUntil - Interval).TotalSeconds, (plugin.Clock.GetUtcNow() - quietUntil).TotalSeconds);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_committed_offset_deleted_by_retention_reads_the_age_of_the_oldest_record_left(bool exact)
    {
        SteadyTopic("retained");
        var start = T0 + TimeSpan.FromMinutes(10);
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact, start);
        _cluster.CommitOffset("stale", "retained", 0, 100);
        for (var gather = 0; gather < 3; gather++)
        {
            Produce("retained", plugin.Clock.GetUtcNow());
            await plugin.GatherAsync();
            plugin.Clock.Advance(Interval);
        }
        var now = plugin.Clock.GetUtcNow();
        Produce("retained", now);
        var high = _cluster.GetWatermarks("retained", 0).High;
        var earliest = high - 50; // written 5 s before the last point, inside the history
        _cluster.SetWatermarks("retained", 0, earliest, high);
        var lines = await plugin.GatherAsync();

        var lag = lines.LagSeconds("stale", "retained", 0);
        Assert.True(lag is not null, lines.Dump());
        var truth = (now - (T0 + TimeSpan.FromSeconds((earliest + 1.0) / Rate))).TotalSeconds;
        Assert.True(lag.Value.Source == (exact ? 1 : 2), $"{lag}: {string.Join("; ", plugin.Errors)}");
        Assert.InRange(lag.Value.Seconds, truth - 0.01, truth + 0.01);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_group_that_resets_its_offsets_reads_the_age_of_its_new_position(bool exact)
    {
        SteadyTopic("reset");
        var start = T0 + TimeSpan.FromMinutes(10);
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact, start);
        for (var gather = 0; gather < 3; gather++)
        {
            var now = plugin.Clock.GetUtcNow();
            Produce("reset", now);
            _cluster.CommitOffset("resetting", "reset", 0, _cluster.GetWatermarks("reset", 0).High);
            Assert.Equal((0.0, 0L), (await plugin.GatherAsync()).LagSeconds("resetting", "reset", 0));
            plugin.Clock.Advance(Interval);
        }
        Produce("reset", plugin.Clock.GetUtcNow());
        _cluster.CommitOffset("resetting", "reset", 0, 0); // reset to the earliest offset
        var lines = await plugin.GatherAsync();

        var lag = lines.LagSeconds("resetting", "reset", 0)!.Value;
        var truth = (plugin.Clock.GetUtcNow() - (T0 + TimeSpan.FromSeconds(1.0 / Rate))).TotalSeconds;
        if (exact)
        {
            Assert.Equal(1, lag.Source);
            Assert.InRange(lag.Seconds, truth - 0.01, truth + 0.01);
        }
        else
        {
            Assert.Equal(3, lag.Source); // older than the history: a lower bound, not a guess
            Assert.Equal((plugin.Clock.GetUtcNow() - start).TotalSeconds, lag.Seconds);
        }
    }

    [Fact]
    public async Task Producer_timestamps_in_the_future_are_not_trusted_and_never_read_as_negative()
    {
        _cluster.CreateTopic("future", 1, replicationFactor: 1);
        var start = T0;
        _cluster.SetRecordTimestamps("future", 0, start + TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(1));
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact: true, start);
        _cluster.SetWatermarks("future", 0, 0, 1_000);
        _cluster.CommitOffset("g", "future", 0, 500);

        var first = await plugin.GatherAsync();
        Assert.Null(first.LagSeconds("g", "future", 0)); // the record's time is a lie and there is no history yet
        plugin.Clock.Advance(Interval);
        _cluster.SetWatermarks("future", 0, 0, 2_000);
        var second = await plugin.GatherAsync();
        var lag = second.LagSeconds("g", "future", 0)!.Value;
        Assert.Equal(3, lag.Source); // the history's lower bound instead
        Assert.Equal(Interval.TotalSeconds, lag.Seconds);
    }

    [Fact]
    public async Task A_partition_whose_latest_offset_was_not_read_has_no_lag_seconds_and_the_gather_is_partial()
    {
        SteadyTopic("unread");
        var start = T0 + TimeSpan.FromMinutes(10);
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact: false, start);
        Produce("unread", start);
        _cluster.CommitOffset("g", "unread", 0, 10);
        await plugin.GatherAsync();
        plugin.Clock.Advance(Interval);
        Produce("unread", plugin.Clock.GetUtcNow());
        Assert.NotNull((await plugin.GatherAsync()).LagSeconds("g", "unread", 0));

        plugin.Clock.Advance(Interval);
        _cluster.Faults.FailNext(ApiKey.ListOffsets, ErrorCodes.NotLeaderOrFollower, count: 100);
        var lines = await plugin.GatherAsync();

        Assert.Null(lines.LagSeconds("g", "unread", 0));
        Assert.NotEmpty(plugin.Errors);
        Assert.Equal(1L, lines.Single(l => l.Measurement == "kafka_collector").Field("partial"));
    }

    [Fact]
    public async Task The_history_survives_a_worker_crash_in_the_offset_fetch_and_the_series_continues()
    {
        SteadyTopic("crashy");
        var start = T0 + TimeSpan.FromMinutes(10);
        await using var plugin = await LagSecondsPlugin.StartAsync(_cluster.BootstrapServers, exact: false, start);
        var values = new List<(double Seconds, long Source)?>();
        var statuses = new List<(long Code, double Complete)?>();
        for (var gather = 0; gather < 5; gather++)
        {
            var now = plugin.Clock.GetUtcNow();
            Produce("crashy", now);
            _cluster.CommitOffset("g", "crashy", 0, (long)((now - TimeSpan.FromSeconds(15) - T0).TotalSeconds * Rate) - 1);
            if (gather == 3)
            {
                // librdkafka 2.16 dies on NOT_COORDINATOR in an offset fetch (Kafka/README.md, `not-coordinator-segv`).
                _cluster.Faults.FailNext(ApiKey.OffsetFetch, ErrorCodes.NotCoordinator, count: 1);
            }
            var lines = await plugin.GatherAsync();
            values.Add(lines.LagSeconds("g", "crashy", 0));
            statuses.Add(lines.LagStatus("g", "crashy", 0));
            plugin.Clock.Advance(Interval);
        }

        Assert.Equal(1, _cluster.Faults.FailuresAnswered(ApiKey.OffsetFetch));
        // Lag status continues too: the commit window keeps filling through the crash (complete 0.4 then 0.5 of 10);
        // a steady 150-message lag that never decreases while the offset moves is WARN (3).
        Assert.Equal([null, (3L, 0.2), (3L, 0.3), (3L, 0.4), (3L, 0.5)], statuses);
        // 15 s behind: at least 10 s after two gathers, then interpolated, through the gather that met the fault.
        Assert.Equal([null, (10.0, 3L), (15.0, 2L), (15.0, 2L), (15.0, 2L)], values);
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
