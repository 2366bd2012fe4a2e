namespace KafkaExecdInput.Snapshot;

/// <summary>
/// Earliest (log start) and latest (high watermark) offsets per partition. Either side may be
/// missing on its own: they come from two separate ListOffsets calls that can fail independently.
/// </summary>
public sealed class WatermarkTable
{
    private readonly Dictionary<(string Topic, int Partition), Watermarks> _byPartition = [];

    public int Count => _byPartition.Count;

    public void SetEarliest(string topic, int partition, long earliest) =>
        _byPartition[(topic, partition)] = Get(topic, partition) with { Earliest = earliest };

    public void SetLatest(string topic, int partition, long latest) =>
        _byPartition[(topic, partition)] = Get(topic, partition) with { Latest = latest };

    public Watermarks Get(string topic, int partition) =>
        _byPartition.TryGetValue((topic, partition), out var found) ? found : default;

    public IEnumerable<KeyValuePair<(string Topic, int Partition), Watermarks>> Entries => _byPartition;
}

/// <summary>Offsets of one partition; null where that side was not read.</summary>
public readonly record struct Watermarks(long? Earliest, long? Latest);
