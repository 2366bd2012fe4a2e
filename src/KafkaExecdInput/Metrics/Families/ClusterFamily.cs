using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary><c>kafka brokers</c>: the size of the cluster as Metadata lists it.</summary>
internal sealed class ClusterFamily() : MetricFamily("cluster", SnapshotNeeds.Metadata, Line)
{
    private static readonly MetricField Brokers = MetricField.Integer("brokers", "brokers in the cluster metadata");

    private static readonly MetricLine Line = new(EncodedName.Measurement("kafka"), [], Brokers);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (gather.Snapshot.Metadata is not { } metadata || !gather.OwnsClusterLines)
        {
            return;
        }

        writer.BeginLine(Line.Measurement);
        // Every broker counts, including one whose address cannot be written as a kafka_broker tag.
        writer.Field(Brokers.Key, metadata.Brokers.Count);
        writer.EndLine(gather.TimestampNs);
    }
}
