using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// FindCoordinator (10): the broker coordinating a group. v0-3 carry one key and a top-level answer; v4+
/// batch keys and answer per key. A coordinator that is down answers COORDINATOR_NOT_AVAILABLE, and
/// transaction keys too: this cluster has no transaction coordinator.
/// </summary>
internal sealed class FindCoordinatorApi : ApiHandler
{
    private const sbyte GroupKey = 0;

    public override ApiKey Key => ApiKey.FindCoordinator;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    public override short FlexibleFrom => 3;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        // v0-3: key, then key type; v4+: key type, then the batched keys.
        string[] keys = version <= 3 ? [request.ReadString()] : [];
        var keyType = version >= 1 ? request.ReadInt8() : GroupKey;
        if (version >= 4)
        {
            keys = request.ReadNullableStringArray() ?? [];
        }

        request.SkipTaggedFields();

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle time
        }

        if (version >= 4)
        {
            response.WriteArrayLength(keys.Length);
        }

        foreach (var key in keys)
        {
            var (error, node) = Resolve(context, key, keyType);
            var broker = node is null ? null : context.Cluster.Broker(node.Value);
            if (version >= 4)
            {
                response.WriteString(key);
            }
            else
            {
                response.WriteInt16(error);
                if (version >= 1)
                {
                    response.WriteNullableString(error == ErrorCodes.None ? null : ErrorCodes.DefaultMessage(error));
                }
            }

            response.WriteInt32(broker?.Id ?? -1);
            response.WriteString(broker?.Host ?? "");
            response.WriteInt32(broker?.Port ?? -1);
            if (version >= 4)
            {
                response.WriteInt16(error);
                response.WriteNullableString(error == ErrorCodes.None ? null : ErrorCodes.DefaultMessage(error));
                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private static (short Error, int? Node) Resolve(RequestContext context, string key, sbyte keyType)
    {
        if (context.InjectedError != ErrorCodes.None)
        {
            return (context.InjectedError, null);
        }

        if (keyType != GroupKey)
        {
            return (ErrorCodes.CoordinatorNotAvailable, null);
        }

        var coordinator = context.Cluster.CoordinatorOf(key);
        var broker = context.Cluster.Broker(coordinator);
        return broker is null || broker.IsDown ? (ErrorCodes.CoordinatorNotAvailable, null) : (ErrorCodes.None, coordinator);
    }
}
