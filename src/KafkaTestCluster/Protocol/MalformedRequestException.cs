namespace KafkaTestCluster.Protocol;

/// <summary>
/// Thrown while decoding a request that does not follow the wire format. The connection that sent it is
/// closed (as a Kafka broker does); the cluster and every other connection keep serving.
/// </summary>
public sealed class MalformedRequestException : Exception
{
    public MalformedRequestException() { }

    public MalformedRequestException(string message) : base(message) { }

    public MalformedRequestException(string message, Exception inner) : base(message, inner) { }
}
