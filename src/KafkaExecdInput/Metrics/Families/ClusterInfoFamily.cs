using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_cluster</c>: the cluster id and the controller, from DescribeCluster (KMinion's
/// <c>kafka_cluster_info</c>). No line when DescribeCluster was not read, or named no cluster id.
/// </summary>
internal sealed class ClusterInfoFamily() : MetricFamily("cluster_info", SnapshotNeeds.ClusterDescription, Line)
{
    private static readonly MetricTag ClusterId = new("cluster_id");

    private static readonly MetricField Info = MetricField.Integer("info", "always 1: one series per cluster, labelled with its id");

    private static readonly MetricField ControllerId = MetricField.Integer("controller_id", "broker id of the active controller (left out when none is known)");

    private static readonly MetricLine Line = new(EncodedName.Measurement("kafka_cluster"), [ClusterId], Info, ControllerId);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (!gather.OwnsClusterLines || gather.Snapshot.Cluster is not { ClusterId: { } id } cluster || !gather.Names.Allows(id, "cluster id"))
        {
            return;
        }

        writer.BeginLine(Line.Measurement);
        writer.Tag(ClusterId.Key, id);
        writer.Field(Info.Key, 1L);
        if (cluster.ControllerId is { } controller)
        {
            writer.Field(ControllerId.Key, controller);
        }

        writer.EndLine(gather.TimestampNs);
    }
}
