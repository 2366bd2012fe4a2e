using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

// The facts the worker reads and the parent assembles into a ClusterSnapshot: one type per fact,
// the same on both sides of the process boundary. Types sent in the tens of thousands per gather
// are positional arrays (their converters) or have one-letter JSON names (README.md in this folder).

/// <summary>Brokers and topics from one Metadata response, already filtered by the topic filter.</summary>
public sealed record ClusterMetadata(IReadOnlyList<BrokerInfo> Brokers, IReadOnlyList<TopicInfo> Topics);

public sealed record BrokerInfo(int Id, string Host, int Port);

/// <summary>A topic as Metadata described it. <paramref name="Partitions"/> is empty when the topic had an error.</summary>
public sealed record TopicInfo(
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("p")] IReadOnlyList<PartitionInfo> Partitions);

/// <summary>
/// One partition's replica placement. <paramref name="Leader"/> is -1 when the partition is offline.
/// The first replica is the preferred leader. On the wire it is a positional array (<see cref="PartitionInfoConverter"/>).
/// </summary>
[JsonConverter(typeof(PartitionInfoConverter))]
public sealed record PartitionInfo(int Id, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> InSyncReplicas);

/// <summary>
/// A consumer group. <paramref name="MemberCount"/> is null when the group could not be described;
/// <paramref name="CommittedOffsets"/> is null when its offsets could not be fetched (and always on the
/// wire, where they travel as <see cref="GroupOffsets"/>), and holds only partitions that have a commit
/// (Kafka's -1 "no offset" is dropped before this point).
/// </summary>
public sealed record ConsumerGroupInfo(
    string GroupId,
    string State,
    int? MemberCount,
    IReadOnlyList<CommittedOffset>? CommittedOffsets = null);

public readonly record struct CommittedOffset(string Topic, int Partition, long Offset);

/// <summary>Where a gather fell short, e.g. ("watermarks", "broker 2: Local_TimedOut").</summary>
public sealed record GatherError(string Source, string Message);

/// <summary>
/// The record a consumer at <paramref name="Offset"/> reads next, as the exact mode of lag in seconds
/// read it (Kafka/RecordTimestampReader.cs): the first record at or after the offset, at
/// <paramref name="FoundOffset"/> (later when records were compacted or deleted), with its timestamp in
/// Unix milliseconds and whether the broker set it (LogAppendTime) or the producer did (CreateTime).
/// </summary>
public sealed record RecordTimestamp(
    [property: JsonPropertyName("t")] string Topic,
    [property: JsonPropertyName("p")] int Partition,
    [property: JsonPropertyName("o")] long Offset,
    [property: JsonPropertyName("f")] long FoundOffset,
    [property: JsonPropertyName("ms")] long TimestampMs,
    [property: JsonPropertyName("la")] bool LogAppendTime);

/// <summary>
/// The cluster as DescribeCluster describes it: its id, the controller (null when the broker did not
/// name one) and each live broker's rack (null when the broker has none configured).
/// </summary>
public sealed record ClusterDescription(string? ClusterId, int? ControllerId, IReadOnlyList<BrokerRack> Brokers);

public sealed record BrokerRack(int Id, string? Rack);

/// <summary>The chosen configs of one topic as DescribeConfigs returned them (a key Kafka did not return is absent).</summary>
public sealed record TopicConfigValues(
    [property: JsonPropertyName("t")] string Topic,
    [property: JsonPropertyName("c")] IReadOnlyList<ConfigValue> Configs);

public sealed record ConfigValue(
    [property: JsonPropertyName("k")] string Key,
    [property: JsonPropertyName("v")] string Value);
