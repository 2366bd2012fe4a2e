using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// ListGroups (16): the groups this broker coordinates (a client asks every broker and merges), filtered by
/// state (v4+) and type (v5+; every group here is a "classic" group). Filters match case-insensitively.
/// </summary>
internal sealed class ListGroupsApi : ApiHandler
{
    private const string ClassicType = "classic";

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
        if (error != ErrorCodes.None || (types.Length > 0 && !types.Contains(ClassicType, StringComparer.OrdinalIgnoreCase)))
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

                var state = GroupErrors.StateName(group.State);
                if (states.Length > 0 && !states.Contains(state, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                listed.Add(new Group(group.GroupId, group.ProtocolType, state));
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
                    response.WriteString(ClassicType);
                }

                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private readonly record struct Group(string Id, string ProtocolType, string State);
}
