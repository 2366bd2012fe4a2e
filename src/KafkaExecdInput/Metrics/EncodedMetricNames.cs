using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.Metrics;

/// <summary>The <see cref="MetricNames"/> validated and escaped once, for the hot path.</summary>
internal static class EncodedMetricNames
{
    public static readonly EncodedName Cluster = EncodedName.Measurement(MetricNames.Cluster);
    public static readonly EncodedName Broker = EncodedName.Measurement(MetricNames.Broker);
    public static readonly EncodedName Topic = EncodedName.Measurement(MetricNames.Topic);
    public static readonly EncodedName TopicPartition = EncodedName.Measurement(MetricNames.TopicPartition);
    public static readonly EncodedName ConsumerGroup = EncodedName.Measurement(MetricNames.ConsumerGroup);
    public static readonly EncodedName Collector = EncodedName.Measurement(MetricNames.Collector);

    public static class Tags
    {
        public static readonly EncodedName Address = EncodedName.TagKey(MetricNames.Tags.Address);
        public static readonly EncodedName Id = EncodedName.TagKey(MetricNames.Tags.Id);
        public static readonly EncodedName Topic = EncodedName.TagKey(MetricNames.Tags.Topic);
        public static readonly EncodedName Partition = EncodedName.TagKey(MetricNames.Tags.Partition);
        public static readonly EncodedName ConsumerGroup = EncodedName.TagKey(MetricNames.Tags.ConsumerGroup);
    }

    public static class Fields
    {
        public static readonly EncodedName Brokers = EncodedName.FieldKey(MetricNames.Fields.Brokers);
        public static readonly EncodedName Info = EncodedName.FieldKey(MetricNames.Fields.Info);
        public static readonly EncodedName Partitions = EncodedName.FieldKey(MetricNames.Fields.Partitions);
        public static readonly EncodedName CurrentOffset = EncodedName.FieldKey(MetricNames.Fields.CurrentOffset);
        public static readonly EncodedName OldestOffset = EncodedName.FieldKey(MetricNames.Fields.OldestOffset);
        public static readonly EncodedName Leader = EncodedName.FieldKey(MetricNames.Fields.Leader);
        public static readonly EncodedName Replicas = EncodedName.FieldKey(MetricNames.Fields.Replicas);
        public static readonly EncodedName InSyncReplica = EncodedName.FieldKey(MetricNames.Fields.InSyncReplica);
        public static readonly EncodedName LeaderIsPreferred = EncodedName.FieldKey(MetricNames.Fields.LeaderIsPreferred);
        public static readonly EncodedName UnderReplicatedPartition = EncodedName.FieldKey(MetricNames.Fields.UnderReplicatedPartition);
        public static readonly EncodedName Members = EncodedName.FieldKey(MetricNames.Fields.Members);
        public static readonly EncodedName CurrentOffsetSum = EncodedName.FieldKey(MetricNames.Fields.CurrentOffsetSum);
        public static readonly EncodedName LagSum = EncodedName.FieldKey(MetricNames.Fields.LagSum);
        public static readonly EncodedName Lag = EncodedName.FieldKey(MetricNames.Fields.Lag);
        public static readonly EncodedName GatherDurationSeconds = EncodedName.FieldKey(MetricNames.Fields.GatherDurationSeconds);
        public static readonly EncodedName Errors = EncodedName.FieldKey(MetricNames.Fields.Errors);
        public static readonly EncodedName Lines = EncodedName.FieldKey(MetricNames.Fields.Lines);
        public static readonly EncodedName Partial = EncodedName.FieldKey(MetricNames.Fields.Partial);
        public static readonly EncodedName WorkerRestarts = EncodedName.FieldKey(MetricNames.Fields.WorkerRestarts);
    }
}
