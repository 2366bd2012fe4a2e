using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Snapshot;

/// <summary>
/// Everything one gather learned about the cluster: the seam between the worker process that
/// talks to Kafka and the pure code that turns facts into metrics (design.md §2). The facts it
/// holds are the ones the worker sends (WorkerProtocol/ClusterFacts.cs); this is their assembly.
/// A part is null when it could not be read at all; <see cref="Errors"/> says why.
/// </summary>
public sealed class ClusterSnapshot
{
    public ClusterMetadata? Metadata { get; init; }

    /// <summary>Groups that passed the group filter, or null when no group listing succeeded.</summary>
    public IReadOnlyList<ConsumerGroupInfo>? Groups { get; init; }

    /// <summary>
    /// What the group descriptions said beyond state and member count, by group id: one per described
    /// group, or null when no group listing succeeded.
    /// </summary>
    public IReadOnlyDictionary<string, GroupDetail>? GroupDetails { get; init; }

    /// <summary>Earliest and latest offsets, or null when none could be read.</summary>
    public WatermarkTable? Watermarks { get; init; }

    public IReadOnlyList<GatherError> Errors { get; init; } = [];

    /// <summary>Cluster id, controller and racks (DescribeCluster), or null when not asked for or not read.</summary>
    public ClusterDescription? Cluster { get; init; }

    /// <summary>
    /// Topic configs from the latest DescribeConfigs refresh (read in this gather or an earlier one, see
    /// History/TopicConfigCache), or null when none was read.
    /// </summary>
    public TopicConfigTable? TopicConfigs { get; internal set; }

    /// <summary>Committed offsets over all groups: the size of the per-group-partition tables built from this snapshot.</summary>
    public int CommittedOffsetCount()
    {
        var count = 0;
        foreach (var group in Groups ?? [])
        {
            count += group.CommittedOffsets?.Count ?? 0;
        }
        return count;
    }

    /// <summary>True when some part was not read (an error, the deadline, or a worker crash).</summary>
    public bool IsPartial => Errors.Count > 0;

    /// <summary>Records read at lagging groups' committed offsets (lag_seconds_exact), or null when none were read.</summary>
    public IReadOnlyList<RecordTimestamp>? RecordTimestamps { get; init; }

    /// <summary>
    /// Lag in seconds per group-partition, set by the Collector from this snapshot and the history right
    /// after <see cref="History.GatherHistory.Observe"/>; null before that.
    /// </summary>
    public LagSecondsTable? LagSeconds { get; internal set; }

    /// <summary>Lag status per group-partition and group, set by the Collector like <see cref="LagSeconds"/>; null before that or when off.</summary>
    public LagStatusTable? LagStatus { get; internal set; }
}
