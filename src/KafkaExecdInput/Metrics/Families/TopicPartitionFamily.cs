using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_topic_partition</c>: offsets and replica placement of every partition. An offset that
/// could not be read is left out of its line.
/// </summary>
internal sealed class TopicPartitionFamily()
    : MetricFamily("topic_partition", SnapshotNeeds.Metadata | SnapshotNeeds.EarliestOffsets | SnapshotNeeds.LatestOffsets, Line)
{
    private static readonly MetricField CurrentOffset = MetricField.Integer("current_offset", "latest offset (high watermark)");

    private static readonly MetricField OldestOffset = MetricField.Integer("oldest_offset", "earliest offset (log start)");

    private static readonly MetricField Leader = MetricField.Integer("leader", "leader broker id, -1 when offline");

    private static readonly MetricField Replicas = MetricField.Integer("replicas", "replica count");

    private static readonly MetricField InSyncReplica = MetricField.Integer("in_sync_replica", "in-sync replica count");

    private static readonly MetricField LeaderIsPreferred = MetricField.Integer("leader_is_preferred", "1 when the leader is the first replica");

    private static readonly MetricField UnderReplicatedPartition = MetricField.Integer("under_replicated_partition", "1 when in-sync < replicas");

    private static readonly MetricLine Line = new(
        EncodedName.Measurement("kafka_topic_partition"),
        [MetricTags.Partition, MetricTags.Topic],
        CurrentOffset, OldestOffset, Leader, Replicas, InSyncReplica, LeaderIsPreferred, UnderReplicatedPartition);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        foreach (TopicInfo topic in gather.Topics)
        {
            foreach (PartitionInfo partition in gather.PartitionsOf(topic))
            {
                if (!gather.OwnsPartition(topic, partition))
                {
                    continue;
                }

                WritePartition(topic.Name, partition, gather.Offsets(topic.Name, partition.Id), gather.TimestampNs, writer);
            }
        }
    }

    private static void WritePartition(string topic, PartitionInfo partition, Watermarks offsets, long timestampNs, LineProtocolWriter writer)
    {
        int replicas = partition.Replicas.Count;
        int inSync = partition.InSyncReplicas.Count;
        bool leaderIsPreferred = partition.Leader >= 0 && replicas > 0 && partition.Replicas[0] == partition.Leader;

        writer.BeginLine(Line.Measurement);
        writer.Tag(MetricTags.Partition.Key, partition.Id);
        writer.Tag(MetricTags.Topic.Key, topic);
        if (offsets.Latest is { } latest)
        {
            writer.Field(CurrentOffset.Key, latest);
        }

        if (offsets.Earliest is { } earliest)
        {
            writer.Field(OldestOffset.Key, earliest);
        }

        writer.Field(Leader.Key, partition.Leader);
        writer.Field(Replicas.Key, replicas);
        writer.Field(InSyncReplica.Key, inSync);
        writer.Field(LeaderIsPreferred.Key, leaderIsPreferred ? 1L : 0L);
        writer.Field(UnderReplicatedPartition.Key, inSync < replicas ? 1L : 0L);
        writer.EndLine(timestampNs);
    }
}
