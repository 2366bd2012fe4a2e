using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// Per broker, what DescribeCluster adds to the metadata: whether it is the controller
/// (<c>kafka_broker_role_is_controller</c>, labelled like kafka_exporter's <c>kafka_broker_info</c>) and
/// its rack (an info series of its own: a <c>rack</c> label on <c>kafka_broker</c> would change the label
/// set of <c>kafka_broker_info</c>, design.md §4). A broker without a rack has no rack line.
/// </summary>
internal sealed class BrokerDetailFamily() : MetricFamily("broker_detail", SnapshotNeeds.Metadata | SnapshotNeeds.ClusterDescription, ControllerLine, RackLine)
{
    private static readonly MetricTag Address = new("address", "host:port");

    private static readonly MetricTag Id = new("id");

    private static readonly MetricTag Rack = new("rack");

    private static readonly MetricField IsController = MetricField.Integer("is_controller", "1 for the active controller, else 0");

    private static readonly MetricField Info = MetricField.Integer("info", "always 1: one series per broker with a rack, labelled with it");

    private static readonly MetricLine ControllerLine = new(EncodedName.Measurement("kafka_broker_role"), [Address, Id], IsController);

    private static readonly MetricLine RackLine = new(EncodedName.Measurement("kafka_broker_rack"), [Address, Id, Rack], Info);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (gather.Snapshot.Cluster is not { } cluster || !gather.OwnsClusterLines)
        {
            return;
        }

        ReadOnlySpan<BrokerInfo> brokers = gather.Brokers;
        if (cluster.ControllerId is { } controller)
        {
            foreach (BrokerInfo broker in brokers)
            {
                string address = BrokerFamily.FormatAddress(broker);
                if (gather.Names.AllowsBrokerAddress(address))
                {
                    writer.BeginLine(ControllerLine.Measurement);
                    writer.Tag(Address.Key, address);
                    writer.Tag(Id.Key, broker.Id);
                    writer.Field(IsController.Key, broker.Id == controller ? 1L : 0L);
                    writer.EndLine(gather.TimestampNs);
                }
            }
        }

        foreach (BrokerInfo broker in brokers)
        {
            string address = BrokerFamily.FormatAddress(broker);
            if (RackOf(cluster, broker.Id) is { } rack && gather.Names.AllowsBrokerAddress(address) && gather.Names.Allows(rack, "broker rack"))
            {
                writer.BeginLine(RackLine.Measurement);
                writer.Tag(Address.Key, address);
                writer.Tag(Id.Key, broker.Id);
                writer.Tag(Rack.Key, rack);
                writer.Field(Info.Key, 1L);
                writer.EndLine(gather.TimestampNs);
            }
        }
    }

    private static string? RackOf(ClusterDescription cluster, int brokerId)
    {
        // Brokers are few: a scan is cheaper than a dictionary per gather.
        for (int i = 0; i < cluster.Brokers.Count; i++)
        {
            if (cluster.Brokers[i].Id == brokerId)
            {
                return cluster.Brokers[i].Rack;
            }
        }

        return null;
    }
}
