using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// ConsumerGroupDescribe (69, KIP-848): a consumer-type group's state, epochs, server-side assignor and
/// members with their subscriptions, current and target assignments (topic id, name, partitions). As in
/// Kafka 4's GroupMetadataManager, a group that is unknown or not of type consumer answers
/// GROUP_ID_NOT_FOUND with "Group X not found." / "Group X is not a consumer group." and empty fields; a
/// client (librdkafka 2.10+) then falls back to DescribeGroups. v1 adds each member's type (KIP-1099).
/// </summary>
internal sealed class ConsumerGroupDescribeApi : ApiHandler
{
    /// <summary>KIP-1099's MemberType: 1 = a member using the consumer protocol (0 would be a classic member).</summary>
    private const sbyte ConsumerMemberType = 1;

    public override ApiKey Key => ApiKey.ConsumerGroupDescribe;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    public override short FlexibleFrom => 0;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var groupIds = request.ReadNullableStringArray() ?? [];
        var includeOperations = request.ReadBool();
        request.SkipTaggedFields();

        response.WriteInt32(0); // throttle time
        response.WriteArrayLength(groupIds.Length);
        var cluster = context.Cluster;
        lock (cluster.Sync)
        {
            foreach (var groupId in groupIds)
            {
                var error = GroupErrors.SoleGroupError(context, groupId);
                var group = error == ErrorCodes.None ? cluster.FindGroupLocked(groupId) : null;
                string? message = null;
                if (error == ErrorCodes.None && group?.Consumer is null)
                {
                    error = ErrorCodes.GroupIdNotFound;
                    message = group is null ? $"Group {groupId} not found." : $"Group {groupId} is not a consumer group.";
                }
                else if (error != ErrorCodes.None)
                {
                    message = ErrorCodes.DefaultMessage(error);
                }

                response.WriteInt16(error);
                response.WriteNullableString(message);
                response.WriteString(groupId);
                if (error != ErrorCodes.None)
                {
                    response.WriteString(""); // state
                    response.WriteInt32(0); // group epoch
                    response.WriteInt32(0); // assignment epoch
                    response.WriteString(""); // assignor
                    response.WriteArrayLength(0);
                    response.WriteInt32(AuthorizedOperations.NotRequested);
                    response.WriteEmptyTaggedFields();
                    continue;
                }

                var consumer = group!.Consumer!;
                response.WriteString(consumer.State.ToString());
                response.WriteInt32(consumer.GroupEpoch);
                response.WriteInt32(consumer.AssignmentEpoch);
                response.WriteString(consumer.Assignor);
                response.WriteArrayLength(consumer.Members.Count);
                foreach (var member in consumer.Members)
                {
                    WriteMember(context, member, response);
                }

                response.WriteInt32(includeOperations ? AuthorizedOperations.Group : AuthorizedOperations.NotRequested);
                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private static void WriteMember(RequestContext context, ConsumerMemberData member, KafkaWriter response)
    {
        response.WriteString(member.MemberId);
        response.WriteNullableString(member.InstanceId);
        response.WriteNullableString(member.RackId);
        response.WriteInt32(member.MemberEpoch);
        response.WriteString(member.ClientId);
        response.WriteString(member.Host);
        response.WriteArrayLength(member.SubscribedTopics.Count);
        foreach (var topic in member.SubscribedTopics)
        {
            response.WriteString(topic);
        }

        response.WriteNullableString(member.SubscribedTopicRegex);
        WriteAssignment(context.Cluster, member.Assignment, response);
        WriteAssignment(context.Cluster, member.TargetAssignment, response);
        if (context.Version >= 1)
        {
            response.WriteInt8(ConsumerMemberType);
        }

        response.WriteEmptyTaggedFields();
    }

    /// <summary>One entry per existing topic, by name, with its id and sorted partitions.</summary>
    private static void WriteAssignment(ClusterState cluster, IReadOnlyList<TopicPartitionRef> assignment, KafkaWriter response)
    {
        var topics = new List<(TopicState Topic, int[] Partitions)>();
        foreach (var byTopic in assignment.GroupBy(p => p.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (cluster.FindTopicLocked(byTopic.Key) is { } topic)
            {
                topics.Add((topic, [.. byTopic.Select(p => p.Partition).Distinct().Order()]));
            }
        }

        response.WriteArrayLength(topics.Count);
        foreach (var (topic, partitions) in topics)
        {
            response.WriteUuid(topic.TopicId);
            response.WriteString(topic.Name);
            response.WriteInt32Array(partitions);
            response.WriteEmptyTaggedFields();
        }

        response.WriteEmptyTaggedFields();
    }
}
