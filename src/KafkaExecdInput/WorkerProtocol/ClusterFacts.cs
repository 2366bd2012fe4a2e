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

/// <summary>
/// What a group's description says beyond its state and member count (issue 9): the kind of group,
/// its protocol, its coordinator and who owns which partition. A value the description did not carry
/// is null (or empty text): it is left out of the metrics, never guessed.
/// </summary>
/// <param name="Type">"classic" or "consumer" (KIP-848), as Kafka's ListGroups v5 names group types.</param>
/// <param name="ProtocolType">The classic protocol type ("consumer", "connect", ...); "consumer" for a KIP-848 group.</param>
/// <param name="Assignor">The classic group's chosen protocol (its partition assignor), or a KIP-848 group's server-side assignor.</param>
/// <param name="Coordinator">The id of the broker that coordinates the group.</param>
/// <param name="Members">The members, in the order Kafka listed them.</param>
public sealed record GroupDetail(
    [property: JsonPropertyName("g")] string GroupId,
    [property: JsonPropertyName("ty")] string? Type,
    [property: JsonPropertyName("pt")] string? ProtocolType,
    [property: JsonPropertyName("as")] string? Assignor,
    [property: JsonPropertyName("co")] int? Coordinator,
    [property: JsonPropertyName("m")] IReadOnlyList<GroupMember> Members);

/// <summary>
/// One member of a group. <paramref name="Assignment"/> is null when the member's assignment is not
/// known: a classic group sends assignments only once it is Stable, and only a "consumer" protocol
/// type has a layout this plugin can read. An empty list is a member that owns no partition.
/// </summary>
public sealed record GroupMember(
    [property: JsonPropertyName("c")] string ClientId,
    [property: JsonPropertyName("h")] string Host,
    [property: JsonPropertyName("a")] IReadOnlyList<AssignedTopic>? Assignment);

/// <summary>The partitions of one topic assigned to one member.</summary>
public sealed record AssignedTopic(
    [property: JsonPropertyName("t")] string Topic,
    [property: JsonPropertyName("p")] IReadOnlyList<int> Partitions);
