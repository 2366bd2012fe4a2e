using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Turns the client's two shapes of a group description into one <see cref="GroupDetail"/>. Assigned
/// topics are kept only when <c>includesTopic</c> (the topic filter) passes them, as everywhere else.
/// </summary>
internal static class GroupDetails
{
    /// <summary>Kafka's names of the group types (ListGroups v5).</summary>
    public const string Classic = "classic";

    public const string Consumer = "consumer";

    /// <summary>The protocol type whose assignments have the layout of <see cref="ConsumerProtocolAssignment"/>.</summary>
    private const string ConsumerProtocolType = "consumer";

    /// <summary>
    /// A group as the classic listing described it. Only classic groups get here: DescribeGroups does not
    /// describe KIP-848 groups (GroupListingReader.IsDescribed).
    /// </summary>
    public static GroupDetail FromListing(GroupInfo group, Func<string, bool> includesTopic)
    {
        var readable = string.Equals(group.ProtocolType, ConsumerProtocolType, StringComparison.Ordinal);
        var members = new GroupMember[group.Members.Count];
        for (var i = 0; i < members.Length; i++)
        {
            var member = group.Members[i];
            members[i] = new GroupMember(member.ClientId ?? "", member.ClientHost ?? "",
                readable && member.MemberAssignment is { } bytes ? Filter(ConsumerProtocolAssignment.TryRead(bytes), includesTopic) : null);
        }
        return new GroupDetail(group.Group, Classic, NullIfEmpty(group.ProtocolType), NullIfEmpty(group.Protocol),
            group.Broker?.BrokerId, members);
    }

    /// <summary>
    /// A group as DescribeConsumerGroups described it (ConsumerGroupDescribe for a KIP-848 group, classic
    /// DescribeGroups otherwise). librdkafka does not pass a classic group's protocol type on; a KIP-848
    /// group's is "consumer" by definition (Kafka's ListGroups names it so).
    /// </summary>
    public static GroupDetail FromDescription(ConsumerGroupDescription group, Func<string, bool> includesTopic)
    {
        var type = group.GroupType switch
        {
            ConsumerGroupType.Consumer => Consumer,
            ConsumerGroupType.Classic => Classic,
            _ => null,
        };
        var members = group.Members ?? [];
        // Kafka sends a classic group's assignments only once it is Stable; before, "none" would be a guess.
        var assignmentsKnown = type == Consumer || group.State == ConsumerGroupState.Stable;
        return new GroupDetail(group.GroupId, type, type == Consumer ? ConsumerProtocolType : null,
            NullIfEmpty(group.PartitionAssignor), group.Coordinator?.Id,
            [.. members.Select(m => new GroupMember(m.ClientId ?? "", m.Host ?? "", assignmentsKnown ? Filter(Assignment(m.Assignment), includesTopic) : null))]);
    }

    private static IReadOnlyList<AssignedTopic>? Assignment(MemberAssignment? assignment) =>
        assignment?.TopicPartitions is { } partitions
            ? [.. partitions.GroupBy(p => p.Topic, StringComparer.Ordinal).Select(t => new AssignedTopic(t.Key, [.. t.Select(p => p.Partition.Value)]))]
            : null;

    private static IReadOnlyList<AssignedTopic>? Filter(IReadOnlyList<AssignedTopic>? topics, Func<string, bool> includesTopic) =>
        topics is null || topics.All(t => includesTopic(t.Topic)) ? topics : [.. topics.Where(t => includesTopic(t.Topic))];

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
