using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads the cluster id, the controller and the brokers' racks with one DescribeCluster request.
/// GatherReader starts it only once the metadata has arrived, and not at all when the metadata was
/// asked for and failed: beside a failing Metadata call (a TLS or SASL handshake that fails) librdkafka
/// kept reconnecting to every broker for it until the deadline.
/// </summary>
internal sealed class ClusterDescriptionReader(IKafkaAdmin admin, ClientHealth health, ReaderSettings settings)
{
    public const string Source = "cluster";

    /// <summary>Returns the description, or null after sending the error that says why there is none.</summary>
    public async Task<ClusterDescription?> ReadAsync(Deadline deadline, IGatherSink sink)
    {
        if (deadline.Expired)
        {
            await sink.SendErrorAsync(Source, "cluster id and controller not read: the gather deadline was reached").ConfigureAwait(false);
            return null;
        }
        try
        {
            var result = await admin.DescribeClusterAsync(new DescribeClusterOptions
            {
                RequestTimeout = deadline.CallTimeout(settings.AdminCallTimeout),
            }).ConfigureAwait(false);
            var brokers = result.Nodes.Select(n => new BrokerRack(n.Id, string.IsNullOrEmpty(n.Rack) ? null : n.Rack)).ToList();
            // librdkafka gives no controller node when the broker answered -1 (none known).
            int? controller = result.Controller is { Id: >= 0 } node ? node.Id : null;
            return new ClusterDescription(string.IsNullOrEmpty(result.ClusterId) ? null : result.ClusterId, controller, brokers);
        }
        catch (KafkaException e)
        {
            await sink.SendErrorAsync(Source, "DescribeCluster: " + health.Describe(e.Error)).ConfigureAwait(false);
            return null;
        }
    }
}
