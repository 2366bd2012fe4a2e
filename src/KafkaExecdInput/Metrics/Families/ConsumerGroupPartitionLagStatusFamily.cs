using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup_partition_lag_status</c>: the Burrow-style lag status of each group-partition
/// (README, "Lag status"), with the precise STOP, STALL or REWIND that the group line shows as ERR, as
/// Telegraf's <c>inputs.burrow</c> reports <c>burrow_partition</c>. One line per committed partition:
/// the family to turn off when that cardinality is too much.
/// </summary>
internal sealed class ConsumerGroupPartitionLagStatusFamily()
    : MetricFamily("consumergroup_partition_lag_status", LagStatusFields.Needs, Line)
{
    private static readonly MetricField Complete = MetricField.Float(
        "complete", "observations in the partition's window ÷ lag_status_window, 0 to 1 (Burrow's complete)");

    private static readonly MetricLine Line = new(
        EncodedName.Measurement("kafka_consumergroup_partition_lag_status"), [MetricTags.ConsumerGroup, MetricTags.Partition, MetricTags.Topic],
        LagStatusFields.Status(LagStatusFields.PartitionStatuses), LagStatusFields.Code(LagStatusFields.PartitionStatuses), Complete);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (gather.Snapshot.LagStatus is not { Count: > 0 } table)
        {
            return;
        }
        ReadOnlySpan<ConsumerGroupInfo> groups = gather.Groups;
        for (int g = 0; g < groups.Length; g++)
        {
            string group = groups[g].GroupId;
            foreach (ReadOnlySpan<CommittedOffset> commits in gather.CommitsByTopic(g))
            {
                foreach (ref readonly CommittedOffset commit in commits)
                {
                    if (table.Get(group, commit.Topic, commit.Partition) is not { } value)
                    {
                        continue;
                    }
                    writer.BeginLine(Line.Measurement);
                    writer.Tag(MetricTags.ConsumerGroup.Key, group);
                    writer.Tag(MetricTags.Partition.Key, commit.Partition);
                    writer.Tag(MetricTags.Topic.Key, commit.Topic);
                    LagStatusFields.Write(writer, value);
                    writer.EndLine(gather.TimestampNs);
                }
            }
        }
    }
}
