using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup</c> per group and topic: sums over the partitions the group has committed.
/// When any of those partitions' latest offset is unknown there is no <c>lag_sum</c>: a partial sum
/// would understate the lag.
/// </summary>
internal sealed class ConsumerGroupTopicFamily()
    : MetricFamily("consumergroup_topic", SnapshotNeeds.CommittedOffsets | SnapshotNeeds.LatestOffsets, Line)
{
    private static readonly MetricField CurrentOffsetSum = MetricField.Integer("current_offset_sum", "sum of committed offsets");

    private static readonly MetricField LagSum = MetricField.Integer("lag_sum", "sum of partition lags");

    private static readonly MetricLine Line = new(
        ConsumerGroupFamily.Measurement, [MetricTags.ConsumerGroup, MetricTags.Topic], CurrentOffsetSum, LagSum);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        ReadOnlySpan<ConsumerGroupInfo> groups = gather.Groups;
        for (int g = 0; g < groups.Length; g++)
        {
            foreach (ReadOnlySpan<CommittedOffset> commits in gather.CommitsByTopic(g))
            {
                WriteTopic(gather, groups[g].GroupId, commits, writer);
            }
        }
    }

    private static void WriteTopic(GatherView gather, string groupId, ReadOnlySpan<CommittedOffset> commits, LineProtocolWriter writer)
    {
        long offsetSum = 0;
        long lagSum = 0;
        bool lagKnown = true;
        foreach (ref readonly CommittedOffset commit in commits)
        {
            offsetSum += commit.Offset;
            if (gather.Lag(commit) is { } lag)
            {
                lagSum += lag;
            }
            else
            {
                lagKnown = false;
            }
        }

        writer.BeginLine(Line.Measurement);
        writer.Tag(MetricTags.ConsumerGroup.Key, groupId);
        writer.Tag(MetricTags.Topic.Key, commits[0].Topic);
        writer.Field(CurrentOffsetSum.Key, offsetSum);
        if (lagKnown)
        {
            writer.Field(LagSum.Key, lagSum);
        }

        writer.EndLine(gather.TimestampNs);
    }
}
