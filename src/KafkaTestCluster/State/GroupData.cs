namespace KafkaTestCluster.State;

/// <summary>A consumer group as its coordinator holds it. Guarded by <see cref="ClusterState.Sync"/>.</summary>
internal sealed class GroupData(string groupId)
{
    public string GroupId { get; } = groupId;

    /// <summary>Set for a KIP-848 group; then the classic fields below are unused. Null for a classic group.</summary>
    public ConsumerGroupData? Consumer { get; set; }

    public GroupType Type => Consumer is null ? GroupType.Classic : GroupType.Consumer;

    /// <summary>The state name ListGroups reports, whatever the group's type.</summary>
    public string StateName => Consumer?.State.ToString() ?? ClassicStateName(State);

    public GroupState State { get; set; } = GroupState.Empty;

    /// <summary>"" for a group that only exists through offset commits, as in Kafka.</summary>
    public string ProtocolType { get; set; } = "";

    public string Protocol { get; set; } = "";

    public int GenerationId { get; set; }

    public List<MemberData> Members { get; set; } = [];

    /// <summary>topic -> partition -> committed offset.</summary>
    public Dictionary<string, Dictionary<int, CommittedOffset>> Commits { get; } = new(StringComparer.Ordinal);

    public void Commit(string topic, int partition, CommittedOffset offset)
    {
        if (!Commits.TryGetValue(topic, out var partitions))
        {
            partitions = [];
            Commits[topic] = partitions;
        }

        partitions[partition] = offset;
    }

    public CommittedOffset? Committed(string topic, int partition) =>
        Commits.TryGetValue(topic, out var partitions) && partitions.TryGetValue(partition, out var offset) ? offset : null;

    public bool HasMember(string memberId) => Members.Exists(m => m.MemberId == memberId);

    public static string ClassicStateName(GroupState state) => state switch
    {
        GroupState.Stable => "Stable",
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        _ => "Dead",
    };
}

/// <summary>A member with its wire-format subscription (metadata) and assignment, encoded once at set-up.</summary>
internal sealed record MemberData(string MemberId, string? GroupInstanceId, string ClientId, string Host, byte[] Metadata, byte[] Assignment);

internal readonly record struct CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);

/// <summary>What Kafka 4's coordinator keeps for a KIP-848 group (ConsumerGroupDescribe reports all of it).</summary>
internal sealed record ConsumerGroupData(
    ConsumerProtocolGroupState State,
    string Assignor,
    int GroupEpoch,
    int AssignmentEpoch,
    IReadOnlyList<ConsumerMemberData> Members)
{
    public ConsumerMemberData? Member(string memberId) => Members.FirstOrDefault(m => m.MemberId == memberId);
}

internal sealed record ConsumerMemberData(
    string MemberId,
    string? InstanceId,
    string? RackId,
    int MemberEpoch,
    string ClientId,
    string Host,
    IReadOnlyList<string> SubscribedTopics,
    string? SubscribedTopicRegex,
    IReadOnlyList<TopicPartitionRef> Assignment,
    IReadOnlyList<TopicPartitionRef> TargetAssignment);
