using KafkaExecdInput.WorkerProtocol;
namespace KafkaExecdInput.Metrics;

/// <summary>
/// The parts of a <see cref="Snapshot.ClusterSnapshot"/> a metric family reads. The union over the
/// families that are on says what a gather must ask Kafka for; a part no family needs can be skipped.
/// </summary>
[Flags]
internal enum SnapshotNeeds
{
    None = 0,

    /// <summary>Brokers, topics and partition placement (one Metadata request).</summary>
    Metadata = 1 << 0,

    /// <summary>Earliest offsets per partition (ListOffsets, earliest).</summary>
    EarliestOffsets = 1 << 1,

    /// <summary>Latest offsets per partition (ListOffsets, latest): the high watermark, and the reference for lag.</summary>
    LatestOffsets = 1 << 2,

    /// <summary>The consumer groups with their state and member count (group listing and description).</summary>
    GroupDescriptions = 1 << 3,

    /// <summary>Each group's committed offsets (one offset fetch per group; needs the group listing too).</summary>
    CommittedOffsets = 1 << 4,

    /// <summary>Cluster id, controller and broker racks (one DescribeCluster request, after the metadata).</summary>
    ClusterDescription = 1 << 5,

    /// <summary>The configs listed in <c>topic_configs</c> (DescribeConfigs, batched, at most every <c>topic_config_interval</c>).</summary>
    TopicConfigs = 1 << 6,

    /// <summary>Each topic's <c>min.insync.replicas</c> (read with the topic configs, on the same schedule).</summary>
    MinInsyncReplicas = 1 << 7,
}
