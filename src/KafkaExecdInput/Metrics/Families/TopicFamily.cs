using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary><c>kafka_topic partitions</c>: one line per topic.</summary>
internal sealed class TopicFamily() : MetricFamily("topic", SnapshotNeeds.Metadata, Line)
{
    private static readonly MetricField Partitions = MetricField.Integer("partitions", "partition count");

    private static readonly MetricLine Line = new(EncodedName.Measurement("kafka_topic"), [MetricTags.Topic], Partitions);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        foreach (TopicInfo topic in gather.Topics)
        {
            if (!gather.OwnsTopic(topic))
            {
                continue;
            }

            writer.BeginLine(Line.Measurement);
            writer.Tag(MetricTags.Topic.Key, topic.Name);
            writer.Field(Partitions.Key, topic.Partitions.Count);
            writer.EndLine(gather.TimestampNs);
        }
    }
}
