using CsCheck;
using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.History;

/// <summary>
/// The rules of lag in seconds from the history (History/LagSecondsEstimator) and how gathers fill the
/// latest-offset rings (GatherHistory.Observe), on a manual clock.
/// </summary>
public class LagSecondsEstimatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static OffsetRing Ring(params (long Offset, double Seconds)[] points)
    {
        var ring = new OffsetRing(PartitionHistory.LatestOffsetPoints);
        foreach (var (offset, seconds) in points)
        {
            ring.Add(offset, Start.AddSeconds(seconds));
        }
        return ring;
    }

    [Fact]
    public void A_record_between_two_points_is_placed_where_the_latest_offset_passed_it()
    {
        // Latest 100 at 0 s, 200 at 10 s: record 149 was written when the latest offset reached 150, at 5 s.
        var lag = LagSecondsEstimator.Interpolate(Ring((100, 0), (200, 10)), next: 149, now: Start.AddSeconds(20));

        Assert.Equal(new LagSeconds(15, LagSecondsSource.Interpolated), lag);
    }

    [Fact]
    public void A_record_older_than_the_history_reads_the_oldest_points_age_as_a_lower_bound_never_an_extrapolation()
    {
        var ring = Ring((100, 0), (200, 10));

        Assert.Equal(new LagSeconds(30, LagSecondsSource.AtLeast), LagSecondsEstimator.Interpolate(ring, next: 50, now: Start.AddSeconds(30)));
        Assert.Null(LagSecondsEstimator.Interpolate(Ring((100, 0)), next: 50, now: Start)); // the first gather: nothing to say
        Assert.Null(LagSecondsEstimator.Interpolate(ring, next: 200, now: Start.AddSeconds(30))); // never seen written
    }

    [Fact]
    public void Interpolated_lag_is_never_negative_and_lies_within_the_interval_the_record_was_written_in()
    {
        Gen.Select(Gen.Long[0, 1_000].Array[2, 20], Gen.Int[1, 60].Array[20], Gen.Long[0, 20_000], Gen.Int[0, 100])
            .Sample((increments, gaps, nextSeed, late) =>
            {
                var ring = new OffsetRing(PartitionHistory.LatestOffsetPoints);
                long offset = 0;
                var at = Start;
                for (var i = 0; i < increments.Length; i++)
                {
                    offset += increments[i];
                    at = at.AddSeconds(gaps[i]);
                    ring.Add(offset, at);
                }
                var now = at.AddSeconds(late);
                var next = nextSeed % (offset + 1);
                var lag = LagSecondsEstimator.Interpolate(ring, next, now);
                if (lag is not { } value)
                {
                    return next >= offset || ring.Count < 2 && next < ring[0].Offset;
                }
                if (value.Seconds < 0)
                {
                    return false;
                }
                if (value.Source == LagSecondsSource.AtLeast)
                {
                    return next < ring[0].Offset && value.Seconds == (now - ring[0].At).TotalSeconds;
                }
                var after = Enumerable.Range(0, ring.Count).First(i => ring[i].Offset > next);
                return value.Seconds <= (now - ring[after - 1].At).TotalSeconds + 1e-6
                    && value.Seconds >= (now - ring[after].At).TotalSeconds - 1e-6;
            });
    }

    [Fact]
    public void Gathers_fill_each_partitions_ring_an_idle_run_keeps_its_first_and_last_point_and_a_truncation_starts_over()
    {
        var time = new ManualTime(Start);
        var history = new GatherHistory(time);
        foreach (var latest in new long[] { 10, 20, 20, 20, 20, 30, 5 })
        {
            history.Observe(Snapshot(latest));
            time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.True(history.Partitions.TryGet(new TopicPartitionKey("t", 0), out var partition));
        Assert.Equal([(5L, 60.0)], partition.LatestOffsets.Points.Select(p => (p.Offset, (p.At - Start).TotalSeconds)));

        history = new GatherHistory(time = new ManualTime(Start));
        foreach (var latest in new long[] { 10, 20, 20, 20, 20, 30 })
        {
            history.Observe(Snapshot(latest));
            time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.True(history.Partitions.TryGet(new TopicPartitionKey("t", 0), out partition));
        Assert.Equal([(10L, 0.0), (20L, 10.0), (20L, 40.0), (30L, 50.0)],
            partition.LatestOffsets.Points.Select(p => (p.Offset, (p.At - Start).TotalSeconds)));
    }

    [Fact]
    public void A_gather_whose_latest_offset_was_not_read_adds_no_point_and_yields_no_value()
    {
        var time = new ManualTime(Start);
        var history = new GatherHistory(time);
        history.Observe(Snapshot(100, commit: 50));
        time.Advance(TimeSpan.FromSeconds(10));
        var unread = Snapshot(latest: null, commit: 50);
        history.Observe(unread);

        Assert.True(history.Partitions.TryGet(new TopicPartitionKey("t", 0), out var partition));
        Assert.Equal(1, partition.LatestOffsets.Count);
        Assert.Equal(0, LagSecondsEstimator.Estimate(history, unread).Count);
    }

    [Theory]
    [InlineData(120, 120, LagSecondsSource.CaughtUp, 0.0)]
    [InlineData(150, 120, LagSecondsSource.CaughtUp, 0.0)] // committed past latest (read in between): never negative
    [InlineData(110, 120, LagSecondsSource.Interpolated, 20.0)]
    public void Estimate_applies_caught_up_before_the_history(long commit, long latest, LagSecondsSource source, double seconds)
    {
        var time = new ManualTime(Start);
        var history = new GatherHistory(time);
        history.Observe(Snapshot(100, commit));
        time.Advance(TimeSpan.FromSeconds(10));
        var snapshot = Snapshot(latest, commit);
        history.Observe(snapshot);

        // 100 at 0 s, 120 at 10 s: record 110 was written at 5.5 s, so at 25.5 s it is 20 s old.
        time.Advance(TimeSpan.FromSeconds(15.5));
        Assert.Equal(new LagSeconds(seconds, source), LagSecondsEstimator.Estimate(history, snapshot).Get("g", "t", 0));
    }

    [Theory]
    [InlineData(-1L, false)] // no timestamp
    [InlineData(0L, false)] // the epoch: clearly wrong
    [InlineData(3_600_000L, false)] // an hour in the future (a producer clock ahead of ours)
    [InlineData(-60_000L, true)] // a minute ago
    public void An_exact_timestamp_is_used_unless_it_is_missing_or_in_the_future(long relativeMs, bool used)
    {
        var time = new ManualTime(Start);
        var history = new GatherHistory(time);
        var nowMs = Start.ToUnixTimeMilliseconds();
        var snapshot = new ClusterSnapshot
        {
            Groups = [new ConsumerGroupInfo("g", "Stable", 1, [new CommittedOffset("t", 0, 50)])],
            Watermarks = Watermarks(100),
            RecordTimestamps = [new RecordTimestamp("t", 0, 50, 50, relativeMs is -1 or 0 ? relativeMs : nowMs + relativeMs, LogAppendTime: false)],
        };
        history.Observe(snapshot);

        Assert.Equal(used ? new LagSeconds(60, LagSecondsSource.Exact) : null, LagSecondsEstimator.Estimate(history, snapshot).Get("g", "t", 0));
    }

    private static WatermarkTable Watermarks(long? latest)
    {
        var table = new WatermarkTable();
        table.SetEarliest("t", 0, 0);
        if (latest is { } l)
        {
            table.SetLatest("t", 0, l);
        }
        return table;
    }

    private static ClusterSnapshot Snapshot(long? latest, long commit = 0) => new()
    {
        Metadata = new ClusterMetadata([], [new TopicInfo("t", [new PartitionInfo(0, 1, [1], [1])])]),
        Groups = [new ConsumerGroupInfo("g", "Stable", 1, [new CommittedOffset("t", 0, commit)])],
        Watermarks = Watermarks(latest),
    };

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
