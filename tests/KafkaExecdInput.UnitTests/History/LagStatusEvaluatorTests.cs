using CsCheck;
using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Time.Testing;

namespace KafkaExecdInput.UnitTests.History;

/// <summary>
/// Burrow's rules (History/LagStatusEvaluator) over windows that gathers fill: each gather shows the
/// history a group's committed offset and the partition's latest offset, on a fake clock.
/// </summary>
public class LagStatusEvaluatorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>A plugin's parent side as far as lag status goes: the history and the evaluation after each gather.</summary>
    private sealed class Gathers
    {
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        private readonly long _allowedLag;

        public Gathers(int window = 4, long allowedLag = 0)
        {
            _allowedLag = allowedLag;
            Of = new GatherHistory(_time) { LagStatus = new LagStatusSettings(window, allowedLag) };
        }

        public GatherHistory Of { get; }

        /// <summary>One gather of group g (with <paramref name="members"/>) committed at <paramref name="commit"/> on t/0 whose latest offset is <paramref name="latest"/>.</summary>
        public LagStatusTable Gather(long commit, long? latest, int? members = 1, params (int Partition, long Commit, long? Latest)[] more)
        {
            _time.Advance(Interval);
            var watermarks = new WatermarkTable();
            if (latest is { } l)
            {
                watermarks.SetLatest("t", 0, l);
            }
            foreach (var (partition, _, otherLatest) in more)
            {
                if (otherLatest is { } ol)
                {
                    watermarks.SetLatest("t", partition, ol);
                }
            }
            var snapshot = new ClusterSnapshot
            {
                Groups = [new ConsumerGroupInfo("g", members == 0 ? "Empty" : "Stable", members,
                    [new CommittedOffset("t", 0, commit), .. more.Select(m => new CommittedOffset("t", m.Partition, m.Commit))])],
                Watermarks = watermarks,
            };
            Of.Observe(snapshot);
            return LagStatusEvaluator.Evaluate(Of, snapshot, _allowedLag);
        }
    }

    private static LagStatus? Partition(LagStatusTable table, int partition = 0) => table.Get("g", "t", partition)?.Status;

    private static LagStatus? Group(LagStatusTable table) => table.GetGroup("g")?.Status;

    [Fact]
    public void A_lagging_partition_seen_once_has_no_status_and_a_caught_up_one_is_ok_at_once()
    {
        Assert.Null(Partition(new Gathers().Gather(commit: 50, latest: 100)));
        Assert.Equal(LagStatus.Ok, Partition(new Gathers().Gather(commit: 100, latest: 100)));
    }

    [Fact]
    public void Lag_at_most_allowed_lag_anywhere_in_the_window_is_ok_whatever_else_happens()
    {
        var gathers = new Gathers(window: 4, allowedLag: 5);
        gathers.Gather(commit: 95, latest: 100); // lag 5: allowed
        Assert.Equal(LagStatus.Ok, Partition(gathers.Gather(commit: 95, latest: 200))); // would be STALL without it
        Assert.Equal(LagStatus.Ok, Partition(gathers.Gather(commit: 95, latest: 300)));
        Assert.Equal(LagStatus.Ok, Partition(gathers.Gather(commit: 95, latest: 400)));
        Assert.Equal(LagStatus.Stall, Partition(gathers.Gather(commit: 95, latest: 500))); // the allowed point left the window
    }

    [Fact]
    public void A_consumer_that_stops_right_after_catching_up_is_stop_at_once_as_in_burrow()
    {
        var gathers = new Gathers(window: 4);
        Assert.Equal(LagStatus.Ok, Partition(gathers.Gather(commit: 100, latest: 100, members: 1)));
        // Everyone left; the offset stays while the topic grows. The caught-up point is still in the
        // window, but Burrow checks STOP first.
        Assert.Equal(LagStatus.Stop, Partition(gathers.Gather(commit: 100, latest: 150, members: 0)));
        // With a member still there it is not STOP, and the caught-up point keeps it OK (Burrow's rule 1).
        var withMember = new Gathers(window: 4);
        withMember.Gather(commit: 100, latest: 100, members: 1);
        Assert.Equal(LagStatus.Ok, Partition(withMember.Gather(commit: 100, latest: 150, members: 1)));
    }

    [Fact]
    public void A_committed_offset_that_goes_backwards_is_rewind_at_the_partition_and_err_at_the_group()
    {
        var gathers = new Gathers();
        gathers.Gather(commit: 80, latest: 100);
        var table = gathers.Gather(commit: 20, latest: 110);

        Assert.Equal(LagStatus.Rewind, Partition(table));
        Assert.Equal(LagStatus.Err, Group(table));
        Assert.Equal(LagStatus.Rewind, Partition(gathers.Gather(commit: 20, latest: 120, members: 0))); // rewind is checked before stop
    }

    [Fact]
    public void An_offset_that_does_not_move_while_lag_exists_is_stop_without_members_and_stall_with_them()
    {
        var stopped = new Gathers();
        stopped.Gather(commit: 50, latest: 100, members: 0);
        Assert.Equal(LagStatus.Stop, Partition(stopped.Gather(commit: 50, latest: 100, members: 0)));

        var stalled = new Gathers();
        stalled.Gather(commit: 50, latest: 100, members: 2);
        var table = stalled.Gather(commit: 50, latest: 120, members: 2);
        Assert.Equal(LagStatus.Stall, Partition(table));
        Assert.Equal(LagStatus.Err, Group(table));
    }

    [Fact]
    public void Without_the_group_description_stop_and_stall_cannot_be_told_apart_so_there_is_no_status()
    {
        var gathers = new Gathers();
        gathers.Gather(commit: 50, latest: 100, members: null);
        var table = gathers.Gather(commit: 50, latest: 100, members: null);

        Assert.Null(Partition(table));
        Assert.Null(Group(table));
    }

    [Fact]
    public void Lag_that_never_decreases_while_the_offset_moves_is_warn_and_one_decrease_is_ok()
    {
        var gathers = new Gathers(window: 3);
        gathers.Gather(commit: 10, latest: 100);
        Assert.Equal(LagStatus.Warn, Partition(gathers.Gather(commit: 20, latest: 120)));
        Assert.Equal(LagStatus.Warn, Partition(gathers.Gather(commit: 30, latest: 130))); // equal lag is not a decrease

        var table = gathers.Gather(commit: 60, latest: 140); // lag 100, 100, 80: recovering
        Assert.Equal(LagStatus.Ok, Partition(table));
        Assert.Equal(LagStatus.Ok, Group(table));
    }

    [Fact]
    public void Complete_is_the_share_of_the_window_filled_and_for_the_group_the_share_of_full_partitions()
    {
        var gathers = new Gathers(window: 4);
        gathers.Gather(commit: 10, latest: 100, members: 1, (1, 0, 0));
        gathers.Gather(commit: 20, latest: 120, members: 1, (1, 0, 0));
        var table = gathers.Gather(commit: 30, latest: 140, members: 1, (1, 0, 0));
        Assert.Equal(0.75, table.Get("g", "t", 0)!.Value.Complete);
        Assert.Equal(0.0, table.GetGroup("g")!.Value.Complete);

        table = gathers.Gather(commit: 40, latest: 160, members: 1, (1, 0, 0));
        Assert.Equal(1.0, table.Get("g", "t", 0)!.Value.Complete);
        Assert.Equal(1.0, table.GetGroup("g")!.Value.Complete);
        Assert.Equal(LagStatus.Warn, Group(table));
    }

    [Fact]
    public void A_partition_whose_latest_offset_was_not_read_gets_no_observation_and_hides_the_group_unless_another_is_err()
    {
        var gathers = new Gathers();
        gathers.Gather(commit: 10, latest: 100, members: 1, (1, 0, 0));
        var table = gathers.Gather(commit: 20, latest: null, members: 1, (1, 0, 0));
        Assert.Null(Partition(table));
        Assert.Equal(LagStatus.Ok, Partition(table, 1));
        Assert.Null(Group(table)); // OK of partition 1 alone would understate the group
        Assert.True(gathers.Of.GroupPartitions.TryGet(new GroupPartitionKey("g", "t", 0), out var state));
        Assert.Equal(1, state.Commits.Count);

        var rewinding = new Gathers();
        rewinding.Gather(commit: 10, latest: 100, members: 1, (1, 50, 100));
        table = rewinding.Gather(commit: 10, latest: null, members: 1, (1, 40, 100)); // partition 1 rewinds
        Assert.Equal(LagStatus.Err, Group(table)); // the worst there is, whatever partition 0 is
    }

    [Fact]
    public void A_changed_window_keeps_the_newest_observations()
    {
        var time = new FakeTimeProvider();
        var key = new GroupPartitionKey("g", "t", 0);
        var history = new GatherHistory(time) { LagStatus = new LagStatusSettings(10, 0) };
        for (var i = 0; i < 6; i++)
        {
            time.Advance(Interval);
            history.Observe(new ClusterSnapshot { Groups = [new ConsumerGroupInfo("g", "Stable", 1, [new CommittedOffset("t", 0, i)])], Watermarks = Latest(100) });
        }
        var smaller = new GatherHistory(time) { LagStatus = new LagStatusSettings(3, 0) };
        history.GroupPartitions.TryGet(key, out var state);
        smaller.GroupPartitions.GetOrAdd(key, time.GetUtcNow()).Commits = state!.Commits;
        time.Advance(Interval);
        smaller.Observe(new ClusterSnapshot { Groups = [new ConsumerGroupInfo("g", "Stable", 1, [new CommittedOffset("t", 0, 6)])], Watermarks = Latest(100) });

        smaller.GroupPartitions.TryGet(key, out var resized);
        Assert.Equal(3, resized!.Commits.Capacity);
        Assert.Equal([4L, 5L, 6L], Enumerable.Range(0, resized.Commits.Count).Select(i => resized.Commits[i].Offset));
    }

    /// <summary>
    /// Over random histories: only the last window observations count; any lag within allowed_lag in
    /// the window is OK; a lagging window that went down is REWIND; the group is its worst partition
    /// with STOP, STALL and REWIND as ERR.
    /// </summary>
    [Fact]
    public void The_rules_hold_for_any_commit_history()
    {
        var observation = Gen.Select(Gen.Long[0, 50], Gen.Long[0, 30]); // (offset, lag)
        Gen.Select(observation.Array[1, 25], Gen.Int[2, 8], Gen.Long[0, 10], Gen.Int[-1, 3])
            .Sample((observations, size, allowedLag, memberCount) =>
            {
                int? members = memberCount < 0 ? null : memberCount; // -1: the group could not be described
                var window = new CommitWindow(size);
                var at = DateTimeOffset.UnixEpoch;
                foreach (var (offset, lag) in observations)
                {
                    window.Add(offset, at += Interval, lag);
                }
                var kept = observations[Math.Max(0, observations.Length - size)..];
                var status = LagStatusEvaluator.OfPartition(window, allowedLag, members);

                var suffix = new CommitWindow(size);
                foreach (var (offset, lag) in kept)
                {
                    suffix.Add(offset, at, lag);
                }
                Assert.Equal(status, LagStatusEvaluator.OfPartition(suffix, allowedLag, members));

                var neverMoved = kept.All(o => o.Item1 == kept[0].Item1);
                if (kept[^1].Item2 <= allowedLag)
                {
                    Assert.Equal(LagStatus.Ok, status);
                }
                else if (kept.Length >= 2 && members == 0 && neverMoved)
                {
                    Assert.Equal(LagStatus.Stop, status);
                }
                else if (kept.Any(o => o.Item2 <= allowedLag))
                {
                    Assert.Equal(LagStatus.Ok, status);
                }
                else if (kept.Length == 1)
                {
                    Assert.Null(status);
                }
                else if (kept.Zip(kept.Skip(1)).Any(p => p.Second.Item1 < p.First.Item1))
                {
                    Assert.Equal(LagStatus.Rewind, status);
                }
                else if (neverMoved)
                {
                    Assert.Equal(members switch { null => (LagStatus?)null, 0 => LagStatus.Stop, _ => LagStatus.Stall }, status);
                }
                else
                {
                    Assert.Equal(kept.Zip(kept.Skip(1)).All(p => p.Second.Item2 >= p.First.Item2) ? LagStatus.Warn : LagStatus.Ok, status);
                }
            });
    }

    [Fact]
    public void A_group_is_its_worst_partition_with_stop_stall_and_rewind_as_err()
    {
        // Partition p follows one of five histories: OK (caught up), WARN, STALL, REWIND, or unknown (seen once).
        Gen.Int[0, 3].Array[1, 6].Sample(kinds =>
        {
            var time = new FakeTimeProvider();
            var history = new GatherHistory(time) { LagStatus = new LagStatusSettings(4, 0) };
            LagStatusTable table = new();
            for (var gather = 0; gather < 2; gather++)
            {
                time.Advance(Interval);
                var latest = new WatermarkTable();
                var commits = new List<CommittedOffset>();
                for (var p = 0; p < kinds.Length; p++)
                {
                    latest.SetLatest("t", p, 100 + (10 * gather));
                    commits.Add(new CommittedOffset("t", p, kinds[p] switch
                    {
                        0 => 100 + (10 * gather), // caught up
                        1 => 10 + gather, // moving, lag growing: WARN
                        2 => 10, // not moving with a member: STALL
                        _ => 50 - gather, // going back: REWIND
                    }));
                }
                var snapshot = new ClusterSnapshot { Groups = [new ConsumerGroupInfo("g", "Stable", 1, commits)], Watermarks = latest };
                history.Observe(snapshot);
                table = LagStatusEvaluator.Evaluate(history, snapshot, 0);
            }
            var expected = kinds.Any(k => k >= 2) ? LagStatus.Err : kinds.Any(k => k == 1) ? LagStatus.Warn : LagStatus.Ok;
            Assert.Equal(expected, table.GetGroup("g")?.Status);
            for (var p = 0; p < kinds.Length; p++)
            {
                Assert.Equal(kinds[p] switch { 0 => LagStatus.Ok, 1 => LagStatus.Warn, 2 => LagStatus.Stall, _ => LagStatus.Rewind }, table.Get("g", "t", p)?.Status);
            }
        });
    }

    private static WatermarkTable Latest(long latest)
    {
        var table = new WatermarkTable();
        table.SetLatest("t", 0, latest);
        return table;
    }
}
