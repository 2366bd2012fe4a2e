using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup members</c>: one line per group that could be described. Its measurement is
/// shared with the group's topic and partition lines, as kafka_exporter's metric names require.
/// </summary>
internal sealed class ConsumerGroupFamily() : MetricFamily("consumergroup", SnapshotNeeds.GroupDescriptions, Line)
{
    public static readonly EncodedName Measurement = EncodedName.Measurement("kafka_consumergroup");

    private static readonly MetricField Members = MetricField.Integer("members", "group members");

    private static readonly MetricLine Line = new(Measurement, [MetricTags.ConsumerGroup], Members);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        foreach (ConsumerGroupInfo group in gather.Groups)
        {
            if (group.MemberCount is { } members)
            {
                writer.BeginLine(Measurement);
                writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
                writer.Field(Members.Key, members);
                writer.EndLine(gather.TimestampNs);
            }
        }
    }
}
