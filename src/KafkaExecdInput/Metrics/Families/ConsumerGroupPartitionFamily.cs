using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup</c> per group, topic and partition: the committed offset and the lag.
/// A partition the group never committed is not in the snapshot, so it has no line (kafka_exporter
/// writes -1); one whose latest offset is unknown has no <c>lag</c>.
/// </summary>
internal sealed class ConsumerGroupPartitionFamily()
    : MetricFamily("consumergroup_partition", SnapshotNeeds.CommittedOffsets | SnapshotNeeds.LatestOffsets, Line)
{
    private static readonly MetricField CurrentOffset = MetricField.Integer("current_offset", "committed offset");

    private static readonly MetricField Lag = MetricField.Integer("lag", "latest offset − committed offset, never below 0");

    private static readonly MetricLine Line = new(
        ConsumerGroupFamily.Measurement, [MetricTags.ConsumerGroup, MetricTags.Partition, MetricTags.Topic], CurrentOffset, Lag);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        ReadOnlySpan<ConsumerGroupInfo> groups = gather.Groups;
        for (int g = 0; g < groups.Length; g++)
        {
            foreach (ReadOnlySpan<CommittedOffset> commits in gather.CommitsByTopic(g))
            {
                foreach (ref readonly CommittedOffset commit in commits)
                {
                    writer.BeginLine(Line.Measurement);
                    writer.Tag(MetricTags.ConsumerGroup.Key, groups[g].GroupId);
                    writer.Tag(MetricTags.Partition.Key, commit.Partition);
                    writer.Tag(MetricTags.Topic.Key, commit.Topic);
                    writer.Field(CurrentOffset.Key, commit.Offset);
                    if (gather.Lag(commit) is { } lag)
                    {
                        writer.Field(Lag.Key, lag);
                    }

                    writer.EndLine(gather.TimestampNs);
                }
            }
        }
    }
}
