using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// Lag in seconds (README, "Lag in seconds"; the values come from History/LagSecondsEstimator): new
/// fields on the three <c>kafka_consumergroup</c> tag sets, on lines of their own so that the shipped
/// lines stay byte for byte what they were. A group-partition without a value has no line; a group or
/// group-topic with any committed partition lacking a value has no max or sum, since a partial one
/// would understate the lag.
/// </summary>
internal sealed class ConsumerGroupLagSecondsFamily()
    : MetricFamily("consumergroup_lag_seconds", SnapshotNeeds.CommittedOffsets | SnapshotNeeds.LatestOffsets | SnapshotNeeds.EarliestOffsets,
        GroupLine, TopicLine, PartitionLine)
{
    private static readonly MetricField GroupMax = MetricField.Float("lag_seconds_max", "largest lag_seconds over the group's partitions");

    private static readonly MetricField TopicMax = MetricField.Float("lag_seconds_max", "largest lag_seconds over the group's partitions of the topic");

    private static readonly MetricField TopicSum = MetricField.Float("lag_seconds_sum", "sum of lag_seconds over the group's partitions of the topic");

    private static readonly MetricField Seconds = MetricField.Float(
        "lag_seconds", "age of the next record the group will read: now − its timestamp, 0 when caught up, never negative");

    private static readonly MetricField Source = MetricField.Integer(
        "lag_seconds_source", "where lag_seconds came from: 0 caught up, 1 exact (record read), 2 interpolated (history), 3 at least (older than the history)");

    private static readonly MetricLine GroupLine = new(ConsumerGroupFamily.Measurement, [MetricTags.ConsumerGroup], GroupMax);

    private static readonly MetricLine TopicLine = new(ConsumerGroupFamily.Measurement, [MetricTags.ConsumerGroup, MetricTags.Topic], TopicMax, TopicSum);

    private static readonly MetricLine PartitionLine = new(
        ConsumerGroupFamily.Measurement, [MetricTags.ConsumerGroup, MetricTags.Partition, MetricTags.Topic], Seconds, Source);

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
                    writer.Field(TopicSum.Key, topicAggregate.Sum);
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
