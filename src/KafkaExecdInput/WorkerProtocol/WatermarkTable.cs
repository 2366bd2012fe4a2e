using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// Earliest (log start) and latest (high watermark) offsets per partition: what the worker sends and
/// what the snapshot holds. Either side may be missing on its own: they come from two separate
/// ListOffsets calls that can fail independently. On the wire it is one flat array
/// (<see cref="WatermarkTableConverter"/>).
/// </summary>
[JsonConverter(typeof(WatermarkTableConverter))]
public sealed class WatermarkTable
{
    private readonly Dictionary<(string Topic, int Partition), Watermarks> _byPartition;

    public WatermarkTable() => _byPartition = [];

    /// <summary>An empty table with room for <paramref name="capacity"/> partitions.</summary>
    internal WatermarkTable(int capacity) => _byPartition = new(capacity);

    public int Count => _byPartition.Count;

    /// <summary>Both sides of one partition at once (as decoded), replacing what it had.</summary>
    internal void Set(string topic, Watermarks watermarks) => _byPartition[(topic, watermarks.Partition)] = watermarks;

    public void SetEarliest(string topic, int partition, long earliest) =>
        _byPartition[(topic, partition)] = Get(topic, partition) with { Earliest = earliest };

    public void SetLatest(string topic, int partition, long latest) =>
        _byPartition[(topic, partition)] = Get(topic, partition) with { Latest = latest };

    public Watermarks Get(string topic, int partition) =>
        _byPartition.TryGetValue((topic, partition), out var found) ? found : new Watermarks(partition, null, null);

    public IEnumerable<KeyValuePair<(string Topic, int Partition), Watermarks>> Entries => _byPartition;
}

/// <summary>Offsets of one partition; null where that side was not read.</summary>
public readonly record struct Watermarks(int Partition, long? Earliest, long? Latest);
