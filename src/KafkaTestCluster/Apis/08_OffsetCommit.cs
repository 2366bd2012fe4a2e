using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// OffsetCommit (8), with the classic group coordinator's rules: a commit with generation -1 (an admin
/// client's, e.g. AlterConsumerGroupOffsets) is accepted by an Empty or unknown group, which it creates
/// Empty; a group with live members requires a member id and the current generation. A KIP-848 consumer
/// group checks the member id and its member epoch (sent in the generation field) instead, as Kafka 4's
/// ConsumerGroup does: a wrong epoch is STALE_MEMBER_EPOCH from v9, ILLEGAL_GENERATION before.
/// </summary>
internal sealed class OffsetCommitApi : ApiHandler
{
    private const int MaxMetadataLength = 4096; // offset.metadata.max.bytes

    public override ApiKey Key => ApiKey.OffsetCommit;

    public override short MinVersion => 0;

    public override short MaxVersion => 9;

    public override short FlexibleFrom => 8;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var groupId = request.ReadString();
        var generation = version >= 1 ? request.ReadInt32() : -1;
        var memberId = version >= 1 ? request.ReadString() : "";
        if (version >= 7)
        {
            _ = request.ReadNullableString(); // group instance id
        }

        if (version is >= 2 and <= 4)
        {
            _ = request.ReadInt64(); // retention time: offsets never expire here
        }

        if (version >= 3)
        {
            response.WriteInt32(0); // throttle time
        }

        var cluster = context.Cluster;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (cluster.Sync)
        {
            var groupError = GroupErrors.CoordinatorError(context, groupId);
            if (groupError == ErrorCodes.None)
            {
                var group = cluster.FindGroupLocked(groupId);
                groupError = group?.Consumer is { } consumer
                    ? ConsumerMembershipError(consumer, generation, memberId, version)
                    : MembershipError(group, generation, memberId);
            }

            var injected = GroupErrors.PartitionLevel(context);
            var topicCount = request.ReadArrayLength();
            response.WriteArrayLength(Math.Max(topicCount, 0));
            for (var t = 0; t < topicCount; t++)
            {
                var name = request.ReadString();
                var topic = cluster.FindTopicLocked(name);
                response.WriteString(name);
                var partitionCount = request.ReadArrayLength();
                response.WriteArrayLength(Math.Max(partitionCount, 0));
                for (var p = 0; p < partitionCount; p++)
                {
                    var index = request.ReadInt32();
                    var offset = request.ReadInt64();
                    var leaderEpoch = version >= 6 ? request.ReadInt32() : -1;
                    if (version == 1)
                    {
                        _ = request.ReadInt64(); // commit timestamp
                    }

                    var metadata = request.ReadNullableString();
                    request.SkipTaggedFields();

                    var error = groupError;
                    if (error == ErrorCodes.None)
                    {
                        error = topic?.Partition(index) is null ? ErrorCodes.UnknownTopicOrPartition
                            : metadata is { Length: > MaxMetadataLength } ? ErrorCodes.OffsetMetadataTooLarge
                            : injected;
                    }

                    if (error == ErrorCodes.None)
                    {
                        CommitLocked(cluster, groupId, name, index, new CommittedOffset(offset, leaderEpoch, metadata ?? "", now));
                    }

                    response.WriteInt32(index);
                    response.WriteInt16(error);
                    response.WriteEmptyTaggedFields();
                }

                request.SkipTaggedFields();
                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }

    /// <summary>A commit revives a Dead group as a new Empty one, as Kafka would create it afresh.</summary>
    private static void CommitLocked(ClusterState cluster, string groupId, string topic, int partition, CommittedOffset offset)
    {
        var group = cluster.GetOrCreateGroupLocked(groupId);
        if (group.State == GroupState.Dead || group.Consumer?.State == ConsumerProtocolGroupState.Dead)
        {
            group.Consumer = null;
            group.ProtocolType = "";
            group.State = GroupState.Empty;
            group.Members = [];
            group.Protocol = "";
        }

        group.Commit(topic, partition, offset);
    }

    /// <summary>
    /// Kafka 4's consumer-group commit checks: a commit without member (an admin client's) only while the
    /// group has no members; otherwise the member must exist and send its current member epoch.
    /// </summary>
    private static short ConsumerMembershipError(ConsumerGroupData group, int memberEpoch, string memberId, short version)
    {
        if (group.State == ConsumerProtocolGroupState.Dead)
        {
            return memberEpoch < 0 ? ErrorCodes.None : ErrorCodes.UnknownMemberId;
        }

        if (memberEpoch < 0 && memberId.Length == 0)
        {
            return group.Members.Count == 0 ? ErrorCodes.None : ErrorCodes.UnknownMemberId;
        }

        if (group.Member(memberId) is not { } member)
        {
            return ErrorCodes.UnknownMemberId;
        }

        if (memberEpoch == member.MemberEpoch)
        {
            return ErrorCodes.None;
        }

        return version >= 9 ? GroupErrors.StaleMemberEpoch : ErrorCodes.IllegalGeneration;
    }

    /// <summary>Kafka's classic-group commit checks. A Dead group is treated as gone, as Kafka removes it.</summary>
    private static short MembershipError(GroupData? group, int generation, string memberId)
    {
        if (group is null || group.State == GroupState.Dead)
        {
            return generation < 0 ? ErrorCodes.None : ErrorCodes.UnknownMemberId;
        }

        if (generation < 0 && group.State == GroupState.Empty)
        {
            return ErrorCodes.None;
        }

        if (group.State == GroupState.CompletingRebalance)
        {
            return ErrorCodes.RebalanceInProgress;
        }

        if (!group.HasMember(memberId))
        {
            return ErrorCodes.UnknownMemberId;
        }

        return generation == group.GenerationId ? ErrorCodes.None : ErrorCodes.IllegalGeneration;
    }
}
