namespace KafkaExecdInput.Metrics;

/// <summary>
/// Measurement, tag and field names of the v1 schema (design.md §4). Telegraf's prometheus_client
/// output names a series <c>measurement_field</c>, which must equal kafka_exporter's metric name:
/// renaming any of these breaks users' dashboards.
/// </summary>
internal static class MetricNames
{
    public const string Cluster = "kafka";
    public const string Broker = "kafka_broker";
    public const string Topic = "kafka_topic";
    public const string TopicPartition = "kafka_topic_partition";
    public const string ConsumerGroup = "kafka_consumergroup";
    public const string Collector = "kafka_collector";

    public static class Tags
    {
        public const string Address = "address";
        public const string Id = "id";
        public const string Topic = "topic";
        public const string Partition = "partition";
        public const string ConsumerGroup = "consumergroup";
    }

    public static class Fields
    {
        public const string Brokers = "brokers";
        public const string Info = "info";
        public const string Partitions = "partitions";
        public const string CurrentOffset = "current_offset";
        public const string OldestOffset = "oldest_offset";
        public const string Leader = "leader";
        public const string Replicas = "replicas";
        public const string InSyncReplica = "in_sync_replica";
        public const string LeaderIsPreferred = "leader_is_preferred";
        public const string UnderReplicatedPartition = "under_replicated_partition";
        public const string Members = "members";
        public const string CurrentOffsetSum = "current_offset_sum";
        public const string LagSum = "lag_sum";
        public const string Lag = "lag";
        public const string GatherDurationSeconds = "gather_duration_seconds";
        public const string Errors = "errors";
        public const string Lines = "lines";
        public const string Partial = "partial";
        public const string WorkerRestarts = "worker_restarts";
    }
}
