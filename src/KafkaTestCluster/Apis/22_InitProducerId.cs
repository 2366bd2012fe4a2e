using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// InitProducerId (22) for the idempotent producer (enable.idempotence=true): hands out producer ids and
/// bumps epochs. Transactional ids are refused: this cluster has no transaction coordinator.
/// </summary>
internal sealed class InitProducerIdApi : ApiHandler
{
    public override ApiKey Key => ApiKey.InitProducerId;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    public override short FlexibleFrom => 2;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var transactionalId = request.ReadNullableString();
        _ = request.ReadInt32(); // transaction timeout
        var producerId = version >= 3 ? request.ReadInt64() : -1;
        var epoch = version >= 3 ? request.ReadInt16() : (short)-1;
        request.SkipTaggedFields();

        var error = context.InjectedError;
        if (error == ErrorCodes.None && transactionalId is not null)
        {
            error = ErrorCodes.TransactionalIdAuthorizationFailed;
        }

        long id = -1;
        short newEpoch = -1;
        if (error == ErrorCodes.None)
        {
            if (producerId >= 0 && epoch >= 0 && epoch < short.MaxValue)
            {
                (id, newEpoch) = (producerId, (short)(epoch + 1));
            }
            else
            {
                lock (context.Cluster.Sync)
                {
                    (id, newEpoch) = (context.Cluster.NextProducerIdLocked(), 0);
                }
            }
        }

        response.WriteInt32(0); // throttle time
        response.WriteInt16(error);
        response.WriteInt64(id);
        response.WriteInt16(newEpoch);
        response.WriteEmptyTaggedFields();
    }
}
