using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// Earliest (log start) and latest (high watermark) offsets per partition: what the worker sends and
/// what the snapshot holds. Either side may be missing on its own: they come from two separate
/// ListOffsets calls that can fail independently. On the wire it is its <see cref="Topics"/>.
/// </summary>
public sealed class WatermarkTable
{
    private readonly Dictionary<(string Topic, int Partition), Watermarks> _byPartition;

    public WatermarkTable() => _byPartition = [];

    [JsonConstructor]
    public WatermarkTable(IReadOnlyList<TopicWatermarks> topics)
    {
        _byPartition = new Dictionary<(string Topic, int Partition), Watermarks>(topics.Sum(t => t.Partitions.Count));
        foreach (var topic in topics)
        {
            foreach (var partition in topic.Partitions)
            {
                _byPartition[(topic.Topic, partition.Partition)] = partition;
            }
        }
    }

    [JsonIgnore]
    public int Count => _byPartition.Count;

    /// <summary>The table by topic, each name once (in the order topics were first set).</summary>
    [JsonPropertyName("t")]
    public IReadOnlyList<TopicWatermarks> Topics
    {
        get
        {
            var byTopic = new Dictionary<string, List<Watermarks>>(StringComparer.Ordinal);
            var topics = new List<TopicWatermarks>();
            foreach (var ((topic, _), watermarks) in _byPartition)
            {
                if (!byTopic.TryGetValue(topic, out var partitions))
                {
                    byTopic[topic] = partitions = [];
                    topics.Add(new TopicWatermarks(topic, partitions));
                }
                partitions.Add(watermarks);
            }
            return topics;
        }
    }

    public void SetEarliest(string topic, int partition, long earliest) =>
        _byPartition[(topic, partition)] = Get(topic, partition) with { Earliest = earliest };

    public void SetLatest(string topic, int partition, long latest) =>
        _byPartition[(topic, partition)] = Get(topic, partition) with { Latest = latest };

    public Watermarks Get(string topic, int partition) =>
        _byPartition.TryGetValue((topic, partition), out var found) ? found : new Watermarks(partition, null, null);

    [JsonIgnore]
    public IEnumerable<KeyValuePair<(string Topic, int Partition), Watermarks>> Entries => _byPartition;
}

/// <summary>The watermarks of one topic's partitions (the wire layout of <see cref="WatermarkTable"/>).</summary>
public sealed record TopicWatermarks(
    [property: JsonPropertyName("n")] string Topic,
    [property: JsonPropertyName("p")] IReadOnlyList<Watermarks> Partitions);

/// <summary>Offsets of one partition; null where that side was not read.</summary>
public readonly record struct Watermarks(
    [property: JsonPropertyName("p")] int Partition,
    [property: JsonPropertyName("e")] long? Earliest,
    [property: JsonPropertyName("l")] long? Latest);
