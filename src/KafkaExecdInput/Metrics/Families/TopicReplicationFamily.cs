using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_topic_replication</c>: per topic, its replication and durability (<c>kafka_topic_replication_factor</c>,
/// ...), labelled like kafka_exporter's <c>kafka_topic_partitions</c>. Per topic, not per partition: every
/// partition of a topic is judged against the topic's one <c>min.insync.replicas</c>, written here, so
/// 100,000 partitions cost no extra line. The min-ISR fields are left out when the topic's configs were
/// not read (e.g. a topic created since the last refresh, or DescribeConfigs denied).
/// </summary>
internal sealed class TopicReplicationFamily() : MetricFamily("topic_replication", SnapshotNeeds.Metadata | SnapshotNeeds.MinInsyncReplicas, Line)
{
    private static readonly MetricField ReplicationFactor = MetricField.Integer("factor", "replication factor: replicas of the topic's first partition");

    private static readonly MetricField OfflinePartitions = MetricField.Integer("offline_partitions", "partitions without a leader");

    private static readonly MetricField UnderMinIsrPartitions = MetricField.Integer(
        "under_min_isr_partitions", "online partitions whose in-sync replicas are fewer than min_insync_replicas");

    private static readonly MetricField MinInsyncReplicas = MetricField.Integer(
        "min_insync_replicas", "the topic's min.insync.replicas, which each of its partitions is judged against");

    private static readonly MetricLine Line = new(
        EncodedName.Measurement("kafka_topic_replication"), [MetricTags.Topic], ReplicationFactor, OfflinePartitions, UnderMinIsrPartitions, MinInsyncReplicas);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        TopicConfigTable? configs = gather.Snapshot.TopicConfigs;
        foreach (TopicInfo topic in gather.Topics)
        {
            if (!gather.OwnsTopic(topic))
            {
                continue;
            }

            int? minIsr = configs?.MinInsyncReplicas(topic.Name);
            long offline = 0, underMinIsr = 0;
            int firstPartition = 0;
            for (int p = 0; p < topic.Partitions.Count; p++)
            {
                PartitionHealth health = PartitionHealth.Of(topic.Partitions[p], minIsr);
                offline += health.Offline ? 1 : 0;
                underMinIsr += health.UnderMinIsr ? 1 : 0;
                firstPartition = topic.Partitions[p].Id < topic.Partitions[firstPartition].Id ? p : firstPartition;
            }

            writer.BeginLine(Line.Measurement);
            writer.Tag(MetricTags.Topic.Key, topic.Name);
            writer.Field(ReplicationFactor.Key, topic.Partitions[firstPartition].Replicas.Count);
            writer.Field(OfflinePartitions.Key, offline);
            if (minIsr is { } min)
            {
                writer.Field(UnderMinIsrPartitions.Key, underMinIsr);
                writer.Field(MinInsyncReplicas.Key, min);
            }

            writer.EndLine(gather.TimestampNs);
        }
    }
}
