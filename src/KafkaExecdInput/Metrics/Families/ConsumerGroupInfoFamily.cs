using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// What kind of group each described group is, and where it lives: an info series labelled with its
/// group type (classic, or consumer for KIP-848), one labelled with its protocol type and assignor, and
/// its coordinator's broker id as a number. Measurements of their own: a tag on <c>kafka_consumergroup</c>
/// would change kafka_exporter's series (design.md §4). A line whose labels the description did not
/// carry is left out: a classic group with no members has no protocol, a description from a broker
/// older than Kafka 3.7 no group type.
/// </summary>
internal sealed class ConsumerGroupInfoFamily()
    : MetricFamily("consumergroup_info", SnapshotNeeds.GroupDescriptions, TypeLine, ProtocolLine, CoordinatorLine)
{
    private static readonly EncodedName TypeMeasurement = EncodedName.Measurement("kafka_consumergroup_type");

    private static readonly EncodedName ProtocolMeasurement = EncodedName.Measurement("kafka_consumergroup_protocol");

    private static readonly EncodedName CoordinatorMeasurement = EncodedName.Measurement("kafka_consumergroup_coordinator");

    private static readonly MetricTag GroupType = new("type", "classic or consumer; consumer is a KIP-848 group");

    private static readonly MetricTag Assignor = new("assignor", "e.g. range, cooperative-sticky; a KIP-848 group's server-side uniform or range");

    private static readonly MetricTag ProtocolType = new("protocol_type", "e.g. consumer, connect");

    private static readonly MetricField TypeInfo = MetricField.Integer("info", "always 1: one series per group, labelled with its group type");

    private static readonly MetricField ProtocolInfo = MetricField.Integer("info", "always 1: one series per group with a protocol, labelled with its protocol type and assignor");

    private static readonly MetricField CoordinatorId = MetricField.Integer("id", "id of the broker that coordinates the group");

    private static readonly MetricLine TypeLine = new(TypeMeasurement, [MetricTags.ConsumerGroup, GroupType], TypeInfo);

    private static readonly MetricLine ProtocolLine = new(ProtocolMeasurement, [Assignor, MetricTags.ConsumerGroup, ProtocolType], ProtocolInfo);

    private static readonly MetricLine CoordinatorLine = new(CoordinatorMeasurement, [MetricTags.ConsumerGroup], CoordinatorId);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        ReadOnlySpan<ConsumerGroupInfo> groups = gather.Groups;
        foreach (ConsumerGroupInfo group in groups)
        {
            if (gather.DetailOf(group) is { Type: { Length: > 0 } type })
            {
                writer.BeginLine(TypeMeasurement);
                writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
                writer.Tag(GroupType.Key, type);
                writer.Field(TypeInfo.Key, 1L);
                writer.EndLine(gather.TimestampNs);
            }
        }

        foreach (ConsumerGroupInfo group in groups)
        {
            if (gather.DetailOf(group) is { Assignor: { Length: > 0 } assignor, ProtocolType: { Length: > 0 } protocolType }
                && gather.Names.Allows(assignor, "consumer group assignor")
                && gather.Names.Allows(protocolType, "consumer group protocol type"))
            {
                writer.BeginLine(ProtocolMeasurement);
                writer.Tag(Assignor.Key, assignor);
                writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
                writer.Tag(ProtocolType.Key, protocolType);
                writer.Field(ProtocolInfo.Key, 1L);
                writer.EndLine(gather.TimestampNs);
            }
        }

        foreach (ConsumerGroupInfo group in groups)
        {
            if (gather.DetailOf(group) is { Coordinator: { } coordinator })
            {
                writer.BeginLine(CoordinatorMeasurement);
                writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
                writer.Field(CoordinatorId.Key, coordinator);
                writer.EndLine(gather.TimestampNs);
            }
        }
    }
}
