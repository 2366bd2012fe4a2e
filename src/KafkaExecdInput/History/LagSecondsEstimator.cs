using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.History;

/// <summary>
/// Lag in seconds: how old the next record a group will read is, i.e. now minus the time the record
/// at its committed offset was written (README, "Lag in seconds"). Pure: it reads a snapshot and the
/// history's latest-offset rings and never writes either.
/// </summary>
/// <remarks>
/// <para>Rules, in order, per group-partition with a committed offset C:</para>
/// <list type="number">
/// <item>latest offset unknown this gather: no value (the gather is partial already);</item>
/// <item>C ≥ latest: 0 s, <see cref="LagSecondsSource.CaughtUp"/>;</item>
/// <item>the next record is at N = max(C, earliest): below the earliest offset, retention deleted the
/// records at C, and the oldest record left is the next one a consumer can read;</item>
/// <item>a record timestamp read at C in this gather (exact mode), if it is not in the future and not
/// before the Unix epoch: now − timestamp, <see cref="LagSecondsSource.Exact"/>;</item>
/// <item>otherwise the ring of (latest offset, time) points: <see cref="Interpolate"/>;</item>
/// <item>otherwise no value.</item>
/// </list>
/// <para>Every value is clamped at 0: a producer clock ahead of ours can never make lag negative.</para>
/// </remarks>
internal static class LagSecondsEstimator
{
    public static LagSecondsTable Estimate(GatherHistory history, ClusterSnapshot snapshot)
    {
        if (snapshot.Groups is not { } groups || snapshot.Watermarks is not { } watermarks)
        {
            return new LagSecondsTable();
        }
        var table = new LagSecondsTable(snapshot.CommittedOffsetCount());
        var now = history.Now;
        var exact = ExactByPosition(snapshot.RecordTimestamps);
        foreach (var group in groups)
        {
            if (group.CommittedOffsets is not { } commits)
            {
                continue;
            }
            foreach (var commit in commits)
            {
                var offsets = watermarks.Get(commit.Topic, commit.Partition);
                if (offsets.Latest is not { } latest)
                {
                    continue;
                }
                if (commit.Offset >= latest)
                {
                    table.Set(group.GroupId, commit.Topic, commit.Partition, new LagSeconds(0, LagSecondsSource.CaughtUp));
                    continue;
                }
                var next = Math.Max(commit.Offset, offsets.Earliest ?? commit.Offset);
                if (FromRecord(exact, commit, now) is { } fromRecord)
                {
                    table.Set(group.GroupId, commit.Topic, commit.Partition, fromRecord);
                }
                else if (history.Partitions.TryGet(new TopicPartitionKey(commit.Topic, commit.Partition), out var partition)
                    && Interpolate(partition.LatestOffsets, next, now) is { } fromHistory)
                {
                    table.Set(group.GroupId, commit.Topic, commit.Partition, fromHistory);
                }
            }
        }
        return table;
    }

    /// <summary>
    /// When the record at <paramref name="next"/> was written, from a ring of (latest offset, time)
    /// points, as its age at <paramref name="now"/>. The record was written after the newest point
    /// whose latest offset was ≤ N (it did not exist yet) and by the first point whose latest offset
    /// was > N; between the two the time is interpolated linearly, as exact as a steady producer
    /// allows and off by at most that one interval for a bursty one. A record older than the oldest
    /// point gets that point's age as a lower bound (<see cref="LagSecondsSource.AtLeast"/>) rather
    /// than an extrapolation; with a single point (the first gather) there is no value at all.
    /// </summary>
    internal static LagSeconds? Interpolate(OffsetRing ring, long next, DateTimeOffset now)
    {
        var after = FirstAfter(ring, next);
        if (after == ring.Count)
        {
            return null; // the history never saw this record written
        }
        if (after == 0)
        {
            return ring.Count >= 2 && ring[0].At < now
                ? new LagSeconds(Age(now, ring[0].At), LagSecondsSource.AtLeast)
                : null;
        }
        var before = ring[after - 1];
        var first = ring[after];
        // Latest offset reaches N + 1 when the record at N is written.
        var fraction = (double)(next + 1 - before.Offset) / (first.Offset - before.Offset);
        var written = before.At + ((first.At - before.At) * fraction);
        return new LagSeconds(Age(now, written), LagSecondsSource.Interpolated);
    }

    /// <summary>
    /// The index of the oldest point whose latest offset is above <paramref name="next"/>, or the count
    /// when there is none. A binary search: a ring's offsets never go down (GatherHistory starts a
    /// ring over when the latest offset does). A scan from the oldest read up to 60 points for each of
    /// the 150,000 group-partitions at L, which mostly lag near the newest (Estimate 98 → 88–94 ms a
    /// gather, statefile benchmark).
    /// </summary>
    private static int FirstAfter(OffsetRing ring, long next)
    {
        int low = 0, high = ring.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (ring[middle].Offset > next)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }

    /// <summary>In seconds, to the millisecond Kafka timestamps have (more digits would be noise), never negative.</summary>
    private static double Age(DateTimeOffset now, DateTimeOffset written) => Math.Max(0, Math.Round((now - written).TotalSeconds, 3));

    private static Dictionary<(string Topic, int Partition, long Offset), RecordTimestamp>? ExactByPosition(IReadOnlyList<RecordTimestamp>? records)
    {
        if (records is null)
        {
            return null;
        }
        var byPosition = new Dictionary<(string, int, long), RecordTimestamp>(records.Count);
        foreach (var record in records)
        {
            byPosition[(record.Topic, record.Partition, record.Offset)] = record;
        }
        return byPosition;
    }

    /// <summary>
    /// The exact age, unless the timestamp is unusable: missing (-1), before the epoch, or in the
    /// future (a producer's clock ahead of ours; CreateTime topics take the producer's word). Such a
    /// record falls back to the history instead of reading as 0.
    /// </summary>
    private static LagSeconds? FromRecord(Dictionary<(string, int, long), RecordTimestamp>? exact, CommittedOffset commit, DateTimeOffset now)
    {
        if (exact is null || !exact.TryGetValue((commit.Topic, commit.Partition, commit.Offset), out var record))
        {
            return null;
        }
        var nowMs = now.ToUnixTimeMilliseconds();
        if (record.TimestampMs <= 0 || record.TimestampMs > nowMs)
        {
            return null;
        }
        return new LagSeconds((nowMs - record.TimestampMs) / 1000.0, LagSecondsSource.Exact);
    }
}
