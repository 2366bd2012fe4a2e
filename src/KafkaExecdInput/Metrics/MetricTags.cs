namespace KafkaExecdInput.Metrics;

/// <summary>
/// Tags shared by several families. Each is a kafka_exporter label name: renaming one breaks users'
/// dashboards (design.md §4).
/// </summary>
internal static class MetricTags
{
    public static readonly MetricTag Topic = new("topic");

    public static readonly MetricTag Partition = new("partition");

    public static readonly MetricTag ConsumerGroup = new("consumergroup");
}
