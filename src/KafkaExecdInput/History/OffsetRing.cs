using System.Text.Json.Serialization;

namespace KafkaExecdInput.History;

/// <summary>
/// The last <see cref="Capacity"/> offsets seen, with when they were seen, oldest first: the window
/// that lag in seconds (latest offsets) and Burrow-style evaluation (commits) are computed over
/// (design.md §8). Adding to a full ring drops its oldest point.
/// </summary>
internal sealed class OffsetRing
{
    // A circular array rather than a queue: lag in seconds reads points by index every gather for
    // every lagging partition, and must not copy the ring to do so.
    private readonly OffsetPoint[] _points;
    private int _first;
    private int _count;

    public OffsetRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _points = new OffsetPoint[capacity];
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

    public int Capacity { get; }

    public IReadOnlyList<OffsetPoint> Points => [.. Enumerable.Range(0, _count).Select(i => this[i])];

    [JsonIgnore]
    public int Count => _count;

    [JsonIgnore]
    public bool IsFull => _count == Capacity;

    public void Add(long offset, DateTimeOffset at)
    {
        if (_count == Capacity)
        {
            _first = (_first + 1) % Capacity;
            _count--;
        }
        _points[(_first + _count) % Capacity] = new OffsetPoint(offset, at);
        _count++;
    }

    /// <summary>The point at <paramref name="index"/>, 0 being the oldest.</summary>
    [JsonIgnore]
    public OffsetPoint this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            return _points[(_first + index) % Capacity];
        }
    }

    /// <summary>The newest point; the ring must not be empty.</summary>
    [JsonIgnore]
    public OffsetPoint Last => this[_count - 1];

    /// <summary>Moves the newest point to <paramref name="at"/> (a run of equal offsets keeps only its first and last time).</summary>
    public void MoveLastTo(DateTimeOffset at) => _points[(_first + _count - 1) % Capacity] = this[_count - 1] with { At = at };

    public void Clear() => _first = _count = 0;
}

internal readonly record struct OffsetPoint(long Offset, DateTimeOffset At);
