using KafkaTestCluster.Apis;
using KafkaTestCluster.Security;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Network;

/// <summary>The services every broker and connection share.</summary>
internal sealed class ClusterRuntime(
    ClusterState state, ApiRegistry apis, ClusterCounters counters, NetworkLatency latency, TlsMaterial? tls, SaslServer? sasl, Action<string>? log)
{
    /// <summary>Kafka's socket.request.max.bytes default; a larger size prefix is taken as garbage.</summary>
    public const int MaxFrameBytes = 100 * 1024 * 1024;

    public ClusterState State { get; } = state;

    public ApiRegistry Apis { get; } = apis;

    public ClusterCounters Counters { get; } = counters;

    public NetworkLatency Latency { get; } = latency;

    public TlsMaterial? Tls { get; } = tls;

    public SaslServer? Sasl { get; } = sasl;

    /// <summary>Set once the faults object exists (it needs the listeners, which need this runtime).</summary>
    public ClusterFaults Faults { get; set; } = null!;

    public void Log(string message) => log?.Invoke(message);
}
