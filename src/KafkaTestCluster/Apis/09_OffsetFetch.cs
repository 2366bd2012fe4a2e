using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// OffsetFetch (9): committed offsets of the requested partitions (-1 where nothing is committed), or of
/// every committed partition when topics is null. v8+ batch groups. An unknown group is not an error, as
/// in Kafka. Group-level errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...) go per partition in
/// v0-1, top-level in v2-7 and per group in v8+. From v9 a member id and epoch may come with a group: for a
/// KIP-848 consumer group Kafka 4 then checks them (UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH); an admin client
/// sends no member id and is not checked.
/// </summary>
internal sealed class OffsetFetchApi : ApiHandler
{
    public override ApiKey Key => ApiKey.OffsetFetch;

    public override short MinVersion => 0;

    public override short MaxVersion => 9;

    public override short FlexibleFrom => 6;

    private sealed record RequestedTopic(string Name, int[] Partitions);

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var cluster = context.Cluster;
        if (version >= 3)
        {
            response.WriteInt32(0); // throttle time
        }

        lock (cluster.Sync)
        {
            if (version <= 7)
            {
                var groupId = request.ReadString();
                var topics = ReadTopics(ref request);
                var error = WriteTopics(context, groupId, topics, response);
                if (version >= 2)
                {
                    response.WriteInt16(error);
                }
            }
            else
            {
                var groupCount = request.ReadArrayLength();
                response.WriteArrayLength(Math.Max(groupCount, 0));
                for (var g = 0; g < groupCount; g++)
                {
                    var groupId = request.ReadString();
                    string? memberId = null;
                    var memberEpoch = -1;
                    if (version >= 9)
                    {
                        memberId = request.ReadNullableString();
                        memberEpoch = request.ReadInt32();
                    }

                    var topics = ReadTopics(ref request);
                    request.SkipTaggedFields();
                    response.WriteString(groupId);
                    var memberError = MemberError(cluster.FindGroupLocked(groupId)?.Consumer, memberId, memberEpoch);
                    if (memberError != ErrorCodes.None && GroupErrors.CoordinatorError(context, groupId) == ErrorCodes.None)
                    {
                        response.WriteArrayLength(0);
                        response.WriteInt16(memberError);
                    }
                    else
                    {
                        response.WriteInt16(WriteTopics(context, groupId, topics, response));
                    }
                    response.WriteEmptyTaggedFields();
                }
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private static short MemberError(ConsumerGroupData? group, string? memberId, int memberEpoch)
    {
        if (group is null || (memberId is null && memberEpoch < 0))
        {
            return ErrorCodes.None;
        }

        if (memberId is null || group.Member(memberId) is not { } member)
        {
            return ErrorCodes.UnknownMemberId;
        }

        return member.MemberEpoch == memberEpoch ? ErrorCodes.None : GroupErrors.StaleMemberEpoch;
    }

    /// <summary>null = all committed partitions.</summary>
    private static List<RequestedTopic>? ReadTopics(ref KafkaReader request)
    {
        var count = request.ReadArrayLength();
        if (count < 0)
        {
            return null;
        }

        var topics = new List<RequestedTopic>(count);
        for (var t = 0; t < count; t++)
        {
            var name = request.ReadString();
            var partitions = request.ReadInt32Array();
            request.SkipTaggedFields();
            topics.Add(new RequestedTopic(name, partitions));
        }

        return topics;
    }

    /// <summary>Writes the topics array; returns the group-level error for the field after it (v2+).</summary>
    private static short WriteTopics(RequestContext context, string groupId, List<RequestedTopic>? requested, KafkaWriter response)
    {
        var version = context.Version;
        var groupError = GroupErrors.CoordinatorError(context, groupId);
        if (groupError != ErrorCodes.None && version >= 2)
        {
            response.WriteArrayLength(0);
            return groupError;
        }

        var partitionError = groupError != ErrorCodes.None ? groupError : GroupErrors.PartitionLevel(context);
        var group = groupError == ErrorCodes.None ? context.Cluster.FindGroupLocked(groupId) : null;
        requested ??= AllCommitted(group);
        response.WriteArrayLength(requested.Count);
        foreach (var topic in requested)
        {
            response.WriteString(topic.Name);
            response.WriteArrayLength(topic.Partitions.Length);
            foreach (var partition in topic.Partitions)
            {
                var committed = partitionError == ErrorCodes.None ? group?.Committed(topic.Name, partition) : null;
                response.WriteInt32(partition);
                response.WriteInt64(committed?.Offset ?? -1);
                if (version >= 5)
                {
                    response.WriteInt32(committed?.LeaderEpoch ?? -1);
                }

                response.WriteNullableString(committed?.Metadata ?? "");
                response.WriteInt16(partitionError);
                response.WriteEmptyTaggedFields();
            }

            response.WriteEmptyTaggedFields();
        }

        return ErrorCodes.None;
    }

    private static List<RequestedTopic> AllCommitted(GroupData? group)
    {
        if (group is null)
        {
            return [];
        }

        var topics = new List<RequestedTopic>(group.Commits.Count);
        foreach (var (name, partitions) in group.Commits)
        {
            var indexes = partitions.Keys.ToArray();
            Array.Sort(indexes);
            topics.Add(new RequestedTopic(name, indexes));
        }

        topics.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return topics;
    }
}
