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

/// <summary>
/// States of a KIP-848 (<c>group.protocol=consumer</c>) group, spelled as Kafka 4 reports them. Assigning: the
/// group epoch moved on and the coordinator has not computed the new target assignment yet. Reconciling: a
/// target assignment exists that some member has not reached yet.
/// </summary>
public enum ConsumerProtocolGroupState
{
    Empty,
    Assigning,
    Reconciling,
    Stable,
    Dead,
}

/// <summary>The group types of ListGroups v5 and Kafka 4's group coordinator.</summary>
public enum GroupType
{
    /// <summary>A group of the classic protocol (JoinGroup/SyncGroup), or one made by offset commits alone.</summary>
    Classic,

    /// <summary>A KIP-848 group (ConsumerGroupHeartbeat, server-side assignment), described by ConsumerGroupDescribe.</summary>
    Consumer,
}

/// <summary>A classic consumer group to install with <see cref="TestCluster.SetGroup"/>.</summary>
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

/// <summary>
/// A KIP-848 consumer group to install with <see cref="TestCluster.SetConsumerGroup"/>. Epochs left null get
/// values that fit the state: the group epoch is one more than the group's previous one (1 for a new group);
/// the assignment epoch is the group epoch, one less when Assigning.
/// </summary>
public sealed record ConsumerGroupSpec(
    string GroupId,
    ConsumerProtocolGroupState State,
    IReadOnlyList<ConsumerMemberSpec> Members,
    string Assignor = "uniform",
    int? GroupEpoch = null,
    int? AssignmentEpoch = null);

/// <summary>
/// A KIP-848 member. Assignments name topics; ConsumerGroupDescribe serves them with the topics' ids, as
/// Kafka resolves its id-keyed assignments against the metadata image (a topic that does not exist is left
/// out). A null target assignment is the current one; a null member epoch is the group's assignment epoch,
/// one less for a member whose target differs from its assignment (still reconciling).
/// </summary>
public sealed record ConsumerMemberSpec(
    string MemberId,
    string ClientId,
    string Host,
    IReadOnlyList<string> SubscribedTopics,
    IReadOnlyList<TopicPartitionRef> Assignment,
    IReadOnlyList<TopicPartitionRef>? TargetAssignment = null,
    string? InstanceId = null,
    string? RackId = null,
    int? MemberEpoch = null,
    string? SubscribedTopicRegex = null);
