using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// ApiVersions (18). Its response header is always v0, even on flexible versions, so a client can read it
/// before it knows what the broker speaks. A version the broker does not know is answered in the v0 layout
/// with UNSUPPORTED_VERSION and the full list, so the client can retry with a version both sides support.
/// </summary>
internal sealed class ApiVersionsApi : ApiHandler
{
    public override ApiKey Key => ApiKey.ApiVersions;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    public override short FlexibleFrom => 3;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        if (context.Version >= 3)
        {
            _ = request.ReadString(); // client software name
            _ = request.ReadString(); // client software version
            request.SkipTaggedFields();
        }

        var error = context.InjectedError;
        if (error == ErrorCodes.UnsupportedVersion)
        {
            // Clients read an UNSUPPORTED_VERSION answer in the v0 layout, whatever version they sent.
            WriteUnsupportedVersion(response, context.Cluster.Apis);
            return;
        }

        response.WriteInt16(error);
        WriteApiKeys(response, context.Cluster.Apis, error == ErrorCodes.None);
        if (context.Version >= 1)
        {
            response.WriteInt32(0); // throttle time
        }

        response.WriteEmptyTaggedFields();
    }

    /// <summary>
    /// The v0 body sent for a request version this broker does not support. It lists the default registry:
    /// the connection calls it without a request context, so a cluster that serves less still lists all.
    /// </summary>
    public static void WriteUnsupportedVersion(KafkaWriter response) => WriteUnsupportedVersion(response, ApiRegistry.Default);

    private static void WriteUnsupportedVersion(KafkaWriter response, ApiRegistry apis)
    {
        response.Flexible = false;
        response.WriteInt16(ErrorCodes.UnsupportedVersion);
        WriteApiKeys(response, apis, listApis: true);
    }

    private static void WriteApiKeys(KafkaWriter response, ApiRegistry apis, bool listApis)
    {
        var handlers = apis.All;
        response.WriteArrayLength(listApis ? handlers.Count : 0);
        if (!listApis)
        {
            return;
        }

        foreach (var handler in handlers)
        {
            response.WriteInt16((short)handler.Key);
            response.WriteInt16(handler.MinVersion);
            response.WriteInt16(handler.MaxVersion);
            response.WriteEmptyTaggedFields();
        }
    }
}
