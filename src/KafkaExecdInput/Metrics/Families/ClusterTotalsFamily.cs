using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_cluster</c> totals over every partition of the reported topics: what a cluster-wide alert
/// needs in one series each (<c>kafka_cluster_offline_partitions</c>, ...). No tags, so the series stay
/// the same when the cluster id is unknown (cluster_info has it).
/// </summary>
internal sealed class ClusterTotalsFamily() : MetricFamily("cluster_totals", SnapshotNeeds.Metadata | SnapshotNeeds.MinInsyncReplicas, Line)
{
    private static readonly MetricField Topics = MetricField.Integer("topics", "topics in the metadata (after the topic filter)");

    private static readonly MetricField Partitions = MetricField.Integer("partitions", "partitions of those topics");

    private static readonly MetricField OfflinePartitions = MetricField.Integer("offline_partitions", "partitions without a leader");

    private static readonly MetricField UnderReplicatedPartitions = MetricField.Integer("under_replicated_partitions", "partitions whose in-sync replicas are fewer than their replicas");

    private static readonly MetricField UnderMinIsrPartitions = MetricField.Integer(
        "under_min_isr_partitions",
        "online partitions whose in-sync replicas are fewer than their topic's min.insync.replicas (topics whose min.insync.replicas was read; left out when none was)");

    private static readonly MetricField NonPreferredLeaderPartitions = MetricField.Integer(
        "non_preferred_leader_partitions", "online partitions whose leader is not the first (preferred) replica");

    private static readonly MetricLine Line = new(
        EncodedName.Measurement("kafka_cluster"), [],
        Topics, Partitions, OfflinePartitions, UnderReplicatedPartitions, UnderMinIsrPartitions, NonPreferredLeaderPartitions);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (gather.Snapshot.Metadata is not { } metadata || !gather.OwnsClusterLines)
        {
            return;
        }

        var configs = gather.Snapshot.TopicConfigs;
        long topics = 0, partitions = 0, offline = 0, underReplicated = 0, underMinIsr = 0, nonPreferred = 0;
        bool minIsrRead = false;
        // Every described topic counts, including one whose name cannot be a tag (as kafka brokers counts every broker).
        for (int t = 0; t < metadata.Topics.Count; t++)
        {
            TopicInfo topic = metadata.Topics[t];
            if (topic.Partitions.Count == 0)
            {
                continue;
            }

            topics++;
            int? minIsr = configs?.MinInsyncReplicas(topic.Name);
            minIsrRead |= minIsr is not null;
            for (int p = 0; p < topic.Partitions.Count; p++)
            {
                PartitionHealth health = PartitionHealth.Of(topic.Partitions[p], minIsr);
                partitions++;
                offline += health.Offline ? 1 : 0;
                underReplicated += health.UnderReplicated ? 1 : 0;
                underMinIsr += health.UnderMinIsr ? 1 : 0;
                nonPreferred += health.NonPreferredLeader ? 1 : 0;
            }
        }

        writer.BeginLine(Line.Measurement);
        writer.Field(Topics.Key, topics);
        writer.Field(Partitions.Key, partitions);
        writer.Field(OfflinePartitions.Key, offline);
        writer.Field(UnderReplicatedPartitions.Key, underReplicated);
        if (minIsrRead)
        {
            writer.Field(UnderMinIsrPartitions.Key, underMinIsr);
        }

        writer.Field(NonPreferredLeaderPartitions.Key, nonPreferred);
        writer.EndLine(gather.TimestampNs);
    }
}

/// <summary>How one partition stands, as the totals count it.</summary>
internal readonly record struct PartitionHealth(bool Offline, bool UnderReplicated, bool UnderMinIsr, bool NonPreferredLeader)
{
    /// <param name="minInsyncReplicas">The topic's min.insync.replicas, or null when it was not read (then never under it).</param>
    public static PartitionHealth Of(PartitionInfo partition, int? minInsyncReplicas)
    {
        bool online = partition.Leader >= 0;
        int inSync = partition.InSyncReplicas.Count;
        return new PartitionHealth(
            Offline: !online,
            UnderReplicated: inSync < partition.Replicas.Count,
            UnderMinIsr: online && minInsyncReplicas is { } min && inSync < min,
            NonPreferredLeader: online && partition.Replicas.Count > 0 && partition.Replicas[0] != partition.Leader);
    }
}
