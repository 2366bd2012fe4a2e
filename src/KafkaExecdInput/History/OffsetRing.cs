using System.Text.Json.Serialization;

namespace KafkaExecdInput.History;

/// <summary>
/// The last <see cref="Capacity"/> offsets seen, with when they were seen, oldest first: the window
/// that lag in seconds (latest offsets) and Burrow-style evaluation (commits) are computed over
/// (design.md §8). Adding to a full ring drops its oldest point.
/// </summary>
[JsonConverter(typeof(OffsetRingJsonConverter))]
internal sealed class OffsetRing
{
    // A circular buffer rather than a queue: lag in seconds reads points by index every gather for
    // every lagging partition, and must not copy the ring to do so. Offsets and times are kept in two
    // arrays of longs (16 bytes a point instead of 24), grown as points arrive: at 50,000 partitions
    // the full rings are 48 MB, and a ring that holds two points (an idle partition) costs 64 bytes.
    private long[] _offsets = new long[RingIndex.InitialSize];
    private long[] _utcTicks = new long[RingIndex.InitialSize];
    private RingIndex _index;

    public OffsetRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _index = new RingIndex(capacity);
    }

    [JsonConstructor]
    public OffsetRing(int capacity, IReadOnlyList<OffsetPoint> points)
        : this(capacity)
    {
        foreach (var point in points.Skip(Math.Max(0, points.Count - capacity)))
        {
            Add(point.Offset, point.At);
        }
    }

    public int Capacity => _index.Capacity;

    public IReadOnlyList<OffsetPoint> Points => [.. Enumerable.Range(0, Count).Select(i => this[i])];

    [JsonIgnore]
    public int Count => _index.Count;

    [JsonIgnore]
    public bool IsFull => _index.IsFull;

    public void Add(long offset, DateTimeOffset at)
    {
        if (_index.MustGrow(_offsets.Length))
        {
            var size = _index.GrownLength(_offsets.Length);
            (_offsets, _utcTicks) = (_index.Grown(_offsets, size), _index.Grown(_utcTicks, size));
        }
        var slot = _index.Append(_offsets.Length);
        _offsets[slot] = offset;
        _utcTicks[slot] = at.UtcTicks;
    }

    /// <summary>The point at <paramref name="index"/>, 0 being the oldest.</summary>
    [JsonIgnore]
    public OffsetPoint this[int index]
    {
        get
        {
            var slot = _index.SlotOf(index, _offsets.Length);
            return new OffsetPoint(_offsets[slot], new DateTimeOffset(_utcTicks[slot], TimeSpan.Zero));
        }
    }

    /// <summary>The newest point; the ring must not be empty.</summary>
    [JsonIgnore]
    public OffsetPoint Last => this[Count - 1];

    /// <summary>Moves the newest point to <paramref name="at"/> (a run of equal offsets keeps only its first and last time).</summary>
    public void MoveLastTo(DateTimeOffset at)
    {
        _utcTicks[_index.SlotOf(Count - 1, _offsets.Length)] = at.UtcTicks;
    }

    public void Clear() => _index.Clear();
}

internal readonly record struct OffsetPoint(long Offset, DateTimeOffset At);
