using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// Lag in seconds (README, "Lag in seconds"; the values come from History/LagSecondsEstimator), as
/// the new measurement <c>kafka_consumergroup_lag</c> on the three tag sets of <c>kafka_consumergroup</c>
/// (Prometheus <c>kafka_consumergroup_lag_seconds</c> and so on; kafka_exporter's own
/// <c>kafka_consumergroup_lag</c> is the field <c>lag</c> of <c>kafka_consumergroup</c>, a different
/// series). Shipped lines are untouched. A group-partition without a value has no line; a group or
/// group-topic with any committed partition lacking a value has no max or sum, since a partial one
/// would understate the lag.
/// </summary>
internal sealed class ConsumerGroupLagSecondsFamily()
    : MetricFamily("consumergroup_lag_seconds", SnapshotNeeds.CommittedOffsets | SnapshotNeeds.LatestOffsets | SnapshotNeeds.EarliestOffsets,
        GroupLine, TopicLine, PartitionLine)
{
    private static readonly MetricField GroupMax = MetricField.Float("seconds_group_max", "largest lag in seconds over the group's partitions");

    private static readonly MetricField TopicMax = MetricField.Float("seconds_topic_max", "largest lag in seconds over the group's partitions of the topic");

    private static readonly MetricField TopicSum = MetricField.Float("seconds_topic_sum", "sum of lag in seconds over the group's partitions of the topic");

    private static readonly MetricField Seconds = MetricField.Float(
        "seconds", "age of the next record the group will read: now − its timestamp, 0 when caught up, never negative");

    private static readonly MetricField Source = MetricField.Integer(
        "seconds_source", "where seconds came from: 0 caught up, 1 exact (record read), 2 interpolated (history), 3 at least (older than the history)");

    private static readonly EncodedName Measurement = EncodedName.Measurement("kafka_consumergroup_lag");

    private static readonly MetricLine GroupLine = new(Measurement, [MetricTags.ConsumerGroup], GroupMax);

    private static readonly MetricLine TopicLine = new(Measurement, [MetricTags.ConsumerGroup, MetricTags.Topic], TopicMax, TopicSum);

    private static readonly MetricLine PartitionLine = new(
        Measurement, [MetricTags.ConsumerGroup, MetricTags.Partition, MetricTags.Topic], Seconds, Source);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (gather.Snapshot.LagSeconds is not { Count: > 0 } table)
        {
            return;
        }
        ReadOnlySpan<ConsumerGroupInfo> groups = gather.Groups;
        for (int g = 0; g < groups.Length; g++)
        {
            string group = groups[g].GroupId;
            if (GroupAggregate(gather, g, table) is { } groupAggregate)
            {
                writer.BeginLine(GroupLine.Measurement);
                writer.Tag(MetricTags.ConsumerGroup.Key, group);
                writer.Field(GroupMax.Key, groupAggregate.Max);
                writer.EndLine(gather.TimestampNs);
            }

            foreach (ReadOnlySpan<CommittedOffset> commits in gather.CommitsByTopic(g))
            {
                if (Aggregate(group, commits, table) is { } topicAggregate)
                {
                    writer.BeginLine(TopicLine.Measurement);
                    writer.Tag(MetricTags.ConsumerGroup.Key, group);
                    writer.Tag(MetricTags.Topic.Key, commits[0].Topic);
                    writer.Field(TopicMax.Key, topicAggregate.Max);
                    writer.Field(TopicSum.Key, Math.Round(topicAggregate.Sum, 3)); // a sum of millisecond values, without float noise
                    writer.EndLine(gather.TimestampNs);
                }

                foreach (ref readonly CommittedOffset commit in commits)
                {
                    if (table.Get(group, commit.Topic, commit.Partition) is not { } value)
                    {
                        continue;
                    }
                    writer.BeginLine(PartitionLine.Measurement);
                    writer.Tag(MetricTags.ConsumerGroup.Key, group);
                    writer.Tag(MetricTags.Partition.Key, commit.Partition);
                    writer.Tag(MetricTags.Topic.Key, commit.Topic);
                    writer.Field(Seconds.Key, value.Seconds);
                    writer.Field(Source.Key, (long)value.Source);
                    writer.EndLine(gather.TimestampNs);
                }
            }
        }
    }

    /// <summary>Max and sum over the group's commits on all topics, or null when one of them has no value.</summary>
    private static (double Max, double Sum)? GroupAggregate(GatherView gather, int groupIndex, LagSecondsTable table)
    {
        (double Max, double Sum) total = (0, 0);
        bool any = false;
        foreach (ReadOnlySpan<CommittedOffset> commits in gather.CommitsByTopic(groupIndex))
        {
            if (Aggregate(gather.Groups[groupIndex].GroupId, commits, table) is not { } ofTopic)
            {
                return null;
            }
            total = (Math.Max(total.Max, ofTopic.Max), total.Sum + ofTopic.Sum);
            any = true;
        }
        return any ? total : null;
    }

    private static (double Max, double Sum)? Aggregate(string group, ReadOnlySpan<CommittedOffset> commits, LagSecondsTable table)
    {
        (double Max, double Sum) total = (0, 0);
        foreach (ref readonly CommittedOffset commit in commits)
        {
            if (table.Get(group, commit.Topic, commit.Partition) is not { } value)
            {
                return null;
            }
            total = (Math.Max(total.Max, value.Seconds), total.Sum + value.Seconds);
        }
        return commits.Length > 0 ? total : null;
    }
}
