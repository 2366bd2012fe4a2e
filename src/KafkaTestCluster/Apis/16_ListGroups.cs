using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// ListGroups (16): the groups this broker coordinates (a client asks every broker and merges), of every
/// type, filtered by state (v4+) and by type (v5+: "classic" or "consumer"), both case-insensitively, as
/// Kafka 4's GroupMetadataManager does. A consumer-type group reports protocol type "consumer" and its
/// KIP-848 state (Empty, Assigning, Reconciling, Stable, Dead).
/// </summary>
internal sealed class ListGroupsApi : ApiHandler
{
    public override ApiKey Key => ApiKey.ListGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    public override short FlexibleFrom => 3;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var states = version >= 4 ? request.ReadNullableStringArray() ?? [] : [];
        var types = version >= 5 ? request.ReadNullableStringArray() ?? [] : [];
        request.SkipTaggedFields();

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle time
        }

        var error = context.InjectedError;
        response.WriteInt16(error);
        var cluster = context.Cluster;
        if (error != ErrorCodes.None)
        {
            response.WriteArrayLength(0);
            response.WriteEmptyTaggedFields();
            return;
        }

        lock (cluster.Sync)
        {
            var listed = new List<Group>();
            foreach (var group in cluster.GroupsLocked)
            {
                if (cluster.CoordinatorOfLocked(group.GroupId) != context.Broker.Id)
                {
                    continue;
                }

                var state = group.StateName;
                var type = TypeName(group.Type);
                if ((states.Length > 0 && !states.Any(s => string.Equals(s.Trim(), state, StringComparison.OrdinalIgnoreCase)))
                    || (types.Length > 0 && !types.Any(t => string.Equals(t.Trim(), type, StringComparison.OrdinalIgnoreCase))))
                {
                    continue;
                }

                listed.Add(new Group(group.GroupId, group.ProtocolType, state, type));
            }

            response.WriteArrayLength(listed.Count);
            foreach (var group in listed)
            {
                response.WriteString(group.Id);
                response.WriteString(group.ProtocolType);
                if (version >= 4)
                {
                    response.WriteString(group.State);
                }

                if (version >= 5)
                {
                    response.WriteString(group.Type);
                }

                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }

    /// <summary>Kafka's Group.GroupType names.</summary>
    public static string TypeName(GroupType type) => type == GroupType.Consumer ? "consumer" : "classic";

    private readonly record struct Group(string Id, string ProtocolType, string State, string Type);
}
