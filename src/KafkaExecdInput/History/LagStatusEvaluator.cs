using KafkaExecdInput.Snapshot;

namespace KafkaExecdInput.History;

/// <summary>What lag status is evaluated with: the window's size in gathers and the lag that counts as none.</summary>
/// <param name="Window">Observations kept per group-partition (lag_status_window).</param>
/// <param name="AllowedLag">Lag, in messages, that is as good as 0 (allowed_lag).</param>
internal sealed record LagStatusSettings(int Window, long AllowedLag)
{
    /// <summary>Burrow's default window (design.md §8).</summary>
    public const int DefaultWindow = 10;

    public static readonly LagStatusSettings Default = new(DefaultWindow, 0);
}

/// <summary>
/// Burrow's evaluation (linkedin/Burrow core/internal/evaluator; README, "Lag status") over the
/// windows of committed offsets that <see cref="GatherHistory.Observe"/> fills, one observation per
/// gather. Pure: it reads the snapshot and the history and writes neither.
/// </summary>
/// <remarks>
/// <para>Per group-partition observed in this gather, Burrow's rules in Burrow's order:</para>
/// <list type="number">
/// <item>OK when the lag was at most allowed_lag at any observation of the window, this one included;</item>
/// <item>with a single observation nothing more can be said: no status;</item>
/// <item>REWIND when the committed offset went down between two observations;</item>
/// <item>STOP when it did not move over the whole window and the group has no members (nobody can commit);</item>
/// <item>STALL when it did not move while the group has members (they commit the same offset);</item>
/// <item>WARN when the lag never decreased over the window;</item>
/// <item>OK otherwise.</item>
/// </list>
/// <para>Burrow tells STOP from STALL by commit times; Kafka's OffsetFetch returns none (design.md
/// §8), so the group's membership is the evidence instead, and without it (the group could not be
/// described) there is no status rather than a guess.</para>
/// <para>A group's status is its worst partition's, STOP, STALL and REWIND shown as ERR (Burrow's
/// collapse). A group with a partition that has no status has none either, unless another is
/// already ERR, the worst there is.</para>
/// </remarks>
internal static class LagStatusEvaluator
{
    public static LagStatusTable Evaluate(GatherHistory history, ClusterSnapshot snapshot, long allowedLag)
    {
        if (snapshot.Groups is not { } groups)
        {
            return new LagStatusTable();
        }
        var table = new LagStatusTable(snapshot.CommittedOffsetCount(), groups.Count);
        var observedAt = history.ObservedAt;
        foreach (var group in groups)
        {
            if (group.CommittedOffsets is not { Count: > 0 } commits)
            {
                continue;
            }
            var worst = LagStatus.Ok;
            var unknown = false;
            var full = 0;
            foreach (var commit in commits)
            {
                LagStatusValue? status = null;
                if (history.GroupPartitions.TryGet(new GroupPartitionKey(group.GroupId, commit.Topic, commit.Partition), out var state)
                    && state.Commits.Count > 0 && state.Commits.Last.At == observedAt)
                {
                    if (state.Commits.IsFull)
                    {
                        full++;
                    }
                    if (OfPartition(state.Commits, allowedLag, group.MemberCount) is { } partitionStatus)
                    {
                        status = new LagStatusValue(partitionStatus, (double)state.Commits.Count / state.Commits.Capacity);
                    }
                }
                if (status is { } known)
                {
                    table.Set(group.GroupId, commit.Topic, commit.Partition, known);
                    worst = Worse(worst, ForGroup(known.Status));
                }
                else
                {
                    unknown = true;
                }
            }
            if (!unknown || worst == LagStatus.Err)
            {
                table.SetGroup(group.GroupId, new LagStatusValue(worst, (double)full / commits.Count));
            }
        }
        return table;
    }

    /// <summary>The status of one window (oldest first, the newest being this gather's), or null when it cannot tell.</summary>
    /// <param name="members">The group's member count, or null when the group could not be described.</param>
    internal static LagStatus? OfPartition(CommitWindow window, long allowedLag, int? members)
    {
        if (window.Count == 0)
        {
            return null;
        }
        // Burrow's order (core/internal/evaluator): no lag now is OK; then STOP, before "lag was at
        // most allowed_lag somewhere in the window", so a consumer that stops right after catching up
        // is STOP as soon as its window shows it, not once the caught-up observation has left it.
        if (window.Last.Lag <= allowedLag)
        {
            return LagStatus.Ok;
        }
        if (window.Count < 2)
        {
            return null;
        }
        if (members == 0 && NeverMoved(window))
        {
            return LagStatus.Stop;
        }
        // The newest observation was judged first.
        for (var i = 0; i < window.Count - 1; i++)
        {
            if (window[i].Lag <= allowedLag)
            {
                return LagStatus.Ok;
            }
        }
        if (WentBackwards(window))
        {
            return LagStatus.Rewind;
        }
        if (NeverMoved(window))
        {
            // A group without members was STOP above; without a description STALL cannot be told from STOP.
            return members > 0 ? LagStatus.Stall : null;
        }
        return LagNeverDecreased(window) ? LagStatus.Warn : LagStatus.Ok;
    }

    private static bool WentBackwards(CommitWindow window)
    {
        for (var i = 1; i < window.Count; i++)
        {
            if (window[i].Offset < window[i - 1].Offset)
            {
                return true;
            }
        }
        return false;
    }

    private static bool NeverMoved(CommitWindow window)
    {
        for (var i = 1; i < window.Count; i++)
        {
            if (window[i].Offset != window[0].Offset)
            {
                return false;
            }
        }
        return true;
    }

    private static bool LagNeverDecreased(CommitWindow window)
    {
        for (var i = 1; i < window.Count; i++)
        {
            if (window[i].Lag < window[i - 1].Lag)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Burrow's collapse: a group shows STOP, STALL and REWIND as ERR.</summary>
    private static LagStatus ForGroup(LagStatus status) => status is LagStatus.Stop or LagStatus.Stall or LagStatus.Rewind ? LagStatus.Err : status;

    /// <summary>OK &lt; WARN &lt; ERR, the group-level severities.</summary>
    private static LagStatus Worse(LagStatus a, LagStatus b) => Severity(b) > Severity(a) ? b : a;

    private static int Severity(LagStatus status) => status switch
    {
        LagStatus.Ok => 0,
        LagStatus.Warn => 1,
        _ => 2,
    };
}
