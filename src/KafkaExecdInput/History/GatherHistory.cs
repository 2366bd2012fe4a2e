using System.Buffers;
using KafkaExecdInput.Snapshot;

namespace KafkaExecdInput.History;

/// <summary>
/// Everything the plugin remembers from one gather to the next. It lives in the Telegraf-facing
/// process, so a worker crash never loses it (design.md §2). Metric families read and update it
/// after each gather; <see cref="Observe"/> keeps it bounded: an entry whose group or partition has
/// not been seen in a snapshot for <see cref="Retention"/> is dropped. <see cref="WriteTo"/> and
/// <see cref="ReadFrom"/> give its versioned binary form, for a state file.
/// </summary>
internal sealed class GatherHistory
{
    /// <summary>How long state of a group or partition that is gone is kept (it may come back).</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromHours(24);

    private readonly TimeProvider _time;

    public GatherHistory(TimeProvider time, TimeSpan? retention = null)
    {
        _time = time;
        Retention = retention ?? DefaultRetention;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Retention, TimeSpan.Zero, nameof(retention));
    }

    public TimeSpan Retention { get; }

    /// <summary>
    /// The groups of the last snapshot that had a group listing. The worker describes any of them that
    /// a failing listing misses (Kafka/README.md).
    /// </summary>
    public IReadOnlyList<string> KnownGroups { get; private set; } = [];

    public HistoryTable<string, GroupHistory> Groups { get; } = new();

    public HistoryTable<TopicPartitionKey, PartitionHistory> Partitions { get; } = new();

    public HistoryTable<GroupPartitionKey, GroupPartitionHistory> GroupPartitions { get; } = new();

    /// <summary>The time families should stamp what they record with.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The time of the last <see cref="Observe"/>: what this gather's observations are stamped with.</summary>
    public DateTimeOffset ObservedAt { get; private set; }

    /// <summary>
    /// Called once per gather, before metric families: marks every entry whose group or partition the
    /// snapshot shows as seen, and drops entries not seen for <see cref="Retention"/>. A part the
    /// snapshot could not read marks nothing; its entries age until it is read again.
    /// </summary>
    public void Observe(ClusterSnapshot snapshot)
    {
        var now = ObservedAt = Now;
        if (snapshot.Groups is { } groups)
        {
            KnownGroups = [.. groups.Select(g => g.GroupId)];
            if (Groups.Count > 0)
            {
                foreach (var group in groups)
                {
                    Groups.MarkSeen(group.GroupId, now);
                }
            }
        }
        if (Partitions.Count > 0 && snapshot.Metadata is { } metadata)
        {
            foreach (var topic in metadata.Topics)
            {
                foreach (var partition in topic.Partitions)
                {
                    Partitions.MarkSeen(new TopicPartitionKey(topic.Name, partition.Id), now);
                }
            }
        }

        SampleLatestOffsets(snapshot, now);
        // Marks the snapshot's group-partitions seen as well (one lookup each).
        ObserveCommits(snapshot, now);

        var cutoff = now - Retention;
        Groups.DropNotSeenSince(cutoff);
        Partitions.DropNotSeenSince(cutoff);
        GroupPartitions.DropNotSeenSince(cutoff);
    }

    /// <summary>Writes the history's persisted form (History/HistoryFileFormat.cs).</summary>
    public void WriteTo(IBufferWriter<byte> output) => HistoryFileFormat.Write(this, output);

    /// <summary>A history as <see cref="WriteTo"/> wrote it; entries already past retention are dropped.</summary>
    /// <exception cref="InvalidDataException">Not a history of <see cref="HistoryFileFormat.Version"/>.</exception>
    public static GatherHistory ReadFrom(ReadOnlySpan<byte> payload, TimeProvider time, TimeSpan? retention = null) =>
        ReadFrom(payload, time, retention, LagStatusSettings.Default);

    /// <inheritdoc cref="ReadFrom(ReadOnlySpan{byte}, TimeProvider, TimeSpan?)"/>
    /// <param name="lagStatus">As configured now (the file's windows are resized to it at the next gather).</param>
    public static GatherHistory ReadFrom(ReadOnlySpan<byte> payload, TimeProvider time, TimeSpan? retention, LagStatusSettings? lagStatus)
    {
        var history = HistoryFileFormat.Read(payload, time, retention, lagStatus);
        var cutoff = history.Now - history.Retention;
        history.Groups.DropNotSeenSince(cutoff);
        history.Partitions.DropNotSeenSince(cutoff);
        history.GroupPartitions.DropNotSeenSince(cutoff);
        return history;
    }

    /// <summary>The known groups of a history being read back.</summary>
    internal void RestoreKnownGroups(IReadOnlyList<string> groups) => KnownGroups = groups;

    // ---------------------------------------------------------------- lag in seconds (issue 10, part 1)

    /// <summary>
    /// False when lag in seconds is off (no family reads the latest-offset rings): a gather then adds
    /// no points and the Collector computes no lag in seconds.
    /// </summary>
    public bool SamplesLatestOffsets { get; set; } = true;

    /// <summary>
    /// Adds each partition's latest offset of this gather, seen at <paramref name="now"/>, to its
    /// ring (History/LagSecondsEstimator.cs reads them). A partition whose latest offset was not read
    /// gets no point: a gap in the ring only widens the interpolation, it never invents a point. A run of
    /// equal offsets keeps only its first and last time, so an idle partition's ring reaches back to
    /// when it went idle instead of 60 gathers. A latest offset below the ring's newest means the
    /// partition was truncated or recreated: its old points describe other records and are dropped.
    /// </summary>
    private void SampleLatestOffsets(ClusterSnapshot snapshot, DateTimeOffset now)
    {
        if (!SamplesLatestOffsets || snapshot.Watermarks is not { } watermarks)
        {
            return;
        }
        foreach (var ((topic, partition), offsets) in watermarks.Entries)
        {
            if (offsets.Latest is not { } latest)
            {
                continue;
            }
            var ring = Partitions.GetOrAdd(new TopicPartitionKey(topic, partition), now).LatestOffsets;
            if (ring.Count > 0 && latest < ring.Last.Offset)
            {
                ring.Clear();
            }
            if (ring.Count >= 2 && ring.Last.Offset == latest && ring[ring.Count - 2].Offset == latest)
            {
                ring.MoveLastTo(now);
            }
            else if (ring.Count == 0 || ring.Last.At < now)
            {
                ring.Add(latest, now);
            }
        }
    }

    // ---------------------------------------------------------------- lag status (issue 10, part 2)

    /// <summary>The window and threshold of lag status, or null when it is off (no family reads the commit windows).</summary>
    public LagStatusSettings? LagStatus { get; init; } = LagStatusSettings.Default;

    /// <summary>
    /// Marks every group-partition of the snapshot seen, and adds its committed offset of this gather,
    /// with its lag, to its window (History/LagStatusEvaluator.cs reads them). Without the partition's
    /// latest offset there is no lag, so no observation: a gap, never an invented point.
    /// </summary>
    private void ObserveCommits(ClusterSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot.Groups is not { } groups)
        {
            return;
        }
        var settings = LagStatus;
        var watermarks = snapshot.Watermarks;
        foreach (var group in groups)
        {
            if (group.CommittedOffsets is not { } commits)
            {
                continue;
            }
            foreach (var commit in commits)
            {
                var key = new GroupPartitionKey(group.GroupId, commit.Topic, commit.Partition);
                if (settings is null || watermarks?.Get(commit.Topic, commit.Partition).Latest is not { } latest)
                {
                    if (GroupPartitions.Count > 0)
                    {
                        GroupPartitions.MarkSeen(key, now);
                    }
                    continue;
                }
                var state = GroupPartitions.GetOrAddSeen(key, now);
                if (state.Commits.Capacity != settings.Window)
                {
                    state.Commits = state.Commits.Resized(settings.Window);
                }
                if (state.Commits.Count == 0 || state.Commits.Last.At < now)
                {
                    state.Commits.Add(commit.Offset, now, Math.Max(0, latest - commit.Offset));
                }
            }
        }
    }
}

