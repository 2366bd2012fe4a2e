using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>DescribeCluster (60), flexible from v0: cluster id, controller and the live brokers with racks.</summary>
internal sealed class DescribeClusterApi : ApiHandler
{
    private const sbyte BrokerEndpoints = 1;

    public override ApiKey Key => ApiKey.DescribeCluster;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    public override short FlexibleFrom => 0;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var includeOperations = request.ReadBool();
        var endpointType = version >= 1 ? request.ReadInt8() : BrokerEndpoints;
        var includeFenced = version >= 2 && request.ReadBool();
        request.SkipTaggedFields();

        var cluster = context.Cluster;
        var error = context.InjectedError;
        if (error == ErrorCodes.None && endpointType != BrokerEndpoints)
        {
            error = ErrorCodes.UnsupportedEndpointType;
        }

        response.WriteInt32(0); // throttle time
        response.WriteInt16(error);
        response.WriteNullableString(error == ErrorCodes.None ? null : ErrorCodes.DefaultMessage(error));
        if (version >= 1)
        {
            response.WriteInt8(endpointType);
        }

        response.WriteString(cluster.ClusterId);
        response.WriteInt32(error == ErrorCodes.None ? cluster.ControllerId : -1);
        var brokers = error == ErrorCodes.None
            ? cluster.Brokers.Where(b => includeFenced || !b.IsDown).ToList()
            : [];
        response.WriteArrayLength(brokers.Count);
        foreach (var broker in brokers)
        {
            response.WriteInt32(broker.Id);
            response.WriteString(broker.Host);
            response.WriteInt32(broker.Port);
            response.WriteNullableString(broker.Rack);
            if (version >= 2)
            {
                response.WriteBool(broker.IsDown);
            }

            response.WriteEmptyTaggedFields();
        }

        response.WriteInt32(includeOperations ? AuthorizedOperations.Cluster : AuthorizedOperations.NotRequested);
        response.WriteEmptyTaggedFields();
    }
}
