using KafkaTestCluster.Network;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>What a handler needs to know about the request it is answering, and what it asks of the connection.</summary>
internal sealed class RequestContext(ClusterState cluster, BrokerNode broker, ConnectionSession session, Action<string> log)
{
    /// <summary>Diagnostics for the test's log: rejections a test author may wonder about.</summary>
    public void Log(string message) => log($"broker {Broker.Id}: {message}");

    public ClusterState Cluster { get; } = cluster;

    /// <summary>The broker that received the request: leadership and coordinator checks are made against it.</summary>
    public BrokerNode Broker { get; } = broker;

    public ConnectionSession Session { get; } = session;

    public short Version { get; set; }

    public string? ClientId { get; set; }

    /// <summary>An error code a fault rule asked to answer with; 0 = none.</summary>
    public short InjectedError { get; set; }

    /// <summary>Set by Produce with acks=0: Kafka sends no response at all.</summary>
    public bool SuppressResponse { get; set; }

    /// <summary>Set when the response must be followed by closing the connection (failed authentication).</summary>
    public bool CloseAfterResponse { get; set; }

    /// <summary>Fetch's long poll: how long to hold a response that carries no records.</summary>
    public TimeSpan ResponseDelay { get; set; }

    public void Reset(short version, string? clientId, short injectedError)
    {
        ResponseDelay = TimeSpan.Zero;
        Version = version;
        ClientId = clientId;
        InjectedError = injectedError;
        SuppressResponse = false;
        CloseAfterResponse = false;
    }
}
