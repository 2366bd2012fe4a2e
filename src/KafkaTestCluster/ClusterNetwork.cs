using KafkaTestCluster.Network;

namespace KafkaTestCluster;

/// <summary>
/// The simulated network between clients and each broker: a round-trip time, and optionally jitter, added to
/// every response of that broker. It models the wire, not a slow broker: requests pipelined on one connection
/// are in flight together, so each is answered one round trip after it arrived (in request order, as Kafka
/// answers), not one round trip after the previous answer. <see cref="ClusterFaults.AddLatency"/> is the slow
/// broker: it delays the whole connection. Changes apply to responses produced after them.
/// </summary>
public sealed class ClusterNetwork
{
    private readonly NetworkLatency _latency;

    internal ClusterNetwork(NetworkLatency latency) => _latency = latency;

    /// <summary>
    /// Sets the round-trip time of one broker, or of every broker when <paramref name="brokerId"/> is null. Each
    /// response then leaves <paramref name="roundTrip"/> plus a uniform random share of <paramref name="jitter"/>
    /// after its request was served, never before an earlier response of the same connection.
    /// </summary>
    public void SetRoundTrip(TimeSpan roundTrip, TimeSpan jitter = default, int? brokerId = null) =>
        _latency.Set(roundTrip, jitter, brokerId);

    public TimeSpan RoundTrip(int brokerId) => _latency.Get(brokerId).RoundTrip;

    public TimeSpan Jitter(int brokerId) => _latency.Get(brokerId).Jitter;
}
