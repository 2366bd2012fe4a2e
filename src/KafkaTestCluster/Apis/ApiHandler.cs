using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// One Kafka API: the versions it serves and how it answers. A handler reads the request body and writes
/// the response body; the connection writes the frame and header around it. Handlers are stateless
/// singletons: everything per request travels in <see cref="RequestContext"/>.
/// </summary>
internal abstract class ApiHandler
{
    /// <summary>Marks an API that has no flexible versions.</summary>
    protected const short NeverFlexible = short.MaxValue;

    public abstract ApiKey Key { get; }

    public abstract short MinVersion { get; }

    public abstract short MaxVersion { get; }

    /// <summary>First version using flexible encoding (request header v2, response header v1, compact types, tagged fields).</summary>
    public abstract short FlexibleFrom { get; }

    public bool Supports(short version) => version >= MinVersion && version <= MaxVersion;

    public bool IsFlexible(short version) => version >= FlexibleFrom;

    /// <summary>
    /// Reads the request and writes the response body. <see cref="RequestContext.InjectedError"/>, when set,
    /// must be reported where this API's response carries errors, as a real broker would report that error.
    /// </summary>
    public abstract void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response);
}
