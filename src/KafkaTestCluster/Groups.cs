namespace KafkaTestCluster;

/// <summary>Classic consumer group states, spelled as Kafka reports them.</summary>
public enum GroupState
{
    Stable,
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Dead,
}

/// <summary>A consumer group to install with <see cref="TestCluster.SetGroup"/>.</summary>
public sealed record GroupSpec(
    string GroupId,
    GroupState State,
    IReadOnlyList<MemberSpec> Members,
    string ProtocolType = "consumer",
    string Protocol = "range");

/// <summary>A group member; its assignment is served in Kafka's ConsumerProtocolAssignment format.</summary>
public sealed record MemberSpec(
    string MemberId,
    string ClientId,
    string Host,
    IReadOnlyList<TopicPartitionRef> Assignment,
    string? GroupInstanceId = null);

public readonly record struct TopicPartitionRef(string Topic, int Partition);
