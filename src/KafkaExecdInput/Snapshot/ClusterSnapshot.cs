namespace KafkaExecdInput.Snapshot;

/// <summary>
/// Everything one gather learned about the cluster: the seam between the worker process that
/// talks to Kafka and the pure code that turns facts into metrics (design.md §2).
/// A part is null when it could not be read at all; <see cref="Errors"/> says why.
/// </summary>
public sealed class ClusterSnapshot
{
    public ClusterMetadata? Metadata { get; init; }

    /// <summary>Groups that passed the group filter, or null when no group listing succeeded.</summary>
    public IReadOnlyList<ConsumerGroupInfo>? Groups { get; init; }

    /// <summary>Earliest and latest offsets, or null when none could be read.</summary>
    public WatermarkTable? Watermarks { get; init; }

    public IReadOnlyList<GatherError> Errors { get; init; } = [];

    /// <summary>True when some part was not read (an error, the deadline, or a worker crash).</summary>
    public bool IsPartial => Errors.Count > 0;
}

/// <summary>Brokers and topics from one Metadata response, already filtered by the topic filter.</summary>
public sealed record ClusterMetadata(IReadOnlyList<BrokerInfo> Brokers, IReadOnlyList<TopicInfo> Topics);

public sealed record BrokerInfo(int Id, string Host, int Port);

/// <summary>A topic as Metadata described it. <paramref name="Partitions"/> is empty when the topic had an error.</summary>
public sealed record TopicInfo(string Name, IReadOnlyList<PartitionInfo> Partitions);

/// <summary>
/// One partition's replica placement. <paramref name="Leader"/> is -1 when the partition is offline.
/// The first replica is the preferred leader.
/// </summary>
public sealed record PartitionInfo(int Id, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> InSyncReplicas);

/// <summary>
/// A consumer group. <paramref name="MemberCount"/> is null when the group could not be described;
/// <paramref name="CommittedOffsets"/> is null when its offsets could not be fetched, and holds only
/// partitions that have a commit (Kafka's -1 "no offset" is dropped before this point).
/// </summary>
public sealed record ConsumerGroupInfo(
    string GroupId,
    string State,
    int? MemberCount,
    IReadOnlyList<CommittedOffset>? CommittedOffsets);

public readonly record struct CommittedOffset(string Topic, int Partition, long Offset);

/// <summary>Where a gather fell short, e.g. ("watermarks", "broker 2: Local_TimedOut").</summary>
public sealed record GatherError(string Source, string Message);
