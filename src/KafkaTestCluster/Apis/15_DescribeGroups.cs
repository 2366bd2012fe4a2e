using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// DescribeGroups (15): state, protocol and members with their consumer-protocol metadata and assignment.
/// Only the coordinator answers (others: NOT_COORDINATOR per group). Kafka 4's GroupMetadataManager describes
/// only classic groups: an unknown group, and a KIP-848 consumer-type group alike, is state "Dead" with no
/// members and no error before v6, and from v6 also GROUP_ID_NOT_FOUND with "Group X not found." or
/// "Group X is not a classic group.".
/// </summary>
internal sealed class DescribeGroupsApi : ApiHandler
{
    public override ApiKey Key => ApiKey.DescribeGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 6;

    public override short FlexibleFrom => 5;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var groupIds = request.ReadNullableStringArray() ?? [];
        var includeOperations = version >= 3 && request.ReadBool();
        request.SkipTaggedFields();

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle time
        }

        response.WriteArrayLength(groupIds.Length);
        var cluster = context.Cluster;
        lock (cluster.Sync)
        {
            foreach (var groupId in groupIds)
            {
                var error = GroupErrors.SoleGroupError(context, groupId);
                var found = error == ErrorCodes.None ? cluster.FindGroupLocked(groupId) : null;
                var group = found?.Type == GroupType.Classic ? found : null;
                string? message = error == ErrorCodes.None ? null : ErrorCodes.DefaultMessage(error);
                var notClassic = error == ErrorCodes.None && group is null;
                if (notClassic && version >= 6)
                {
                    error = ErrorCodes.GroupIdNotFound;
                    message = found is null ? $"Group {groupId} not found." : $"Group {groupId} is not a classic group.";
                }

                response.WriteInt16(error);
                if (version >= 6)
                {
                    response.WriteNullableString(message);
                }

                response.WriteString(groupId);
                if (error != ErrorCodes.None || notClassic)
                {
                    response.WriteString(notClassic ? "Dead" : "");
                    response.WriteString("");
                    response.WriteString("");
                    response.WriteArrayLength(0);
                    if (version >= 3)
                    {
                        response.WriteInt32(AuthorizedOperations.NotRequested);
                    }

                    response.WriteEmptyTaggedFields();
                    continue;
                }

                response.WriteString(GroupData.ClassicStateName(group!.State));
                response.WriteString(group.ProtocolType);
                response.WriteString(group.Protocol);
                var members = group.Members;
                response.WriteArrayLength(members.Count);
                foreach (var member in members)
                {
                    response.WriteString(member.MemberId);
                    if (version >= 4)
                    {
                        response.WriteNullableString(member.GroupInstanceId);
                    }

                    response.WriteString(member.ClientId);
                    response.WriteString(member.Host);
                    response.WriteBytes(member.Metadata);

                    // Kafka sends assignments only once the group has settled on them.
                    response.WriteBytes(group.State == GroupState.Stable ? member.Assignment : []);
                    response.WriteEmptyTaggedFields();
                }

                if (version >= 3)
                {
                    response.WriteInt32(includeOperations ? AuthorizedOperations.Group : AuthorizedOperations.NotRequested);
                }

                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }
}
