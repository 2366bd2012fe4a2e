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
    private const int InitialSize = 2;
    private long[] _offsets = new long[InitialSize];
    private long[] _utcTicks = new long[InitialSize];
    private int _first;
    private int _count;

    public OffsetRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
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
            _first = (_first + 1) % _offsets.Length;
            _count--;
        }
        else if (_count == _offsets.Length)
        {
            Grow();
        }
        var slot = (_first + _count) % _offsets.Length;
        _offsets[slot] = offset;
        _utcTicks[slot] = at.UtcTicks;
        _count++;
    }

    /// <summary>Doubles the buffer (at most to <see cref="Capacity"/>), unrolling it so the oldest point is first.</summary>
    private void Grow()
    {
        var size = Math.Min(Capacity, _offsets.Length * 2);
        var offsets = new long[size];
        var ticks = new long[size];
        for (var i = 0; i < _count; i++)
        {
            offsets[i] = _offsets[(_first + i) % _offsets.Length];
            ticks[i] = _utcTicks[(_first + i) % _offsets.Length];
        }
        (_offsets, _utcTicks, _first) = (offsets, ticks, 0);
    }

    /// <summary>The point at <paramref name="index"/>, 0 being the oldest.</summary>
    [JsonIgnore]
    public OffsetPoint this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            var slot = (_first + index) % _offsets.Length;
            return new OffsetPoint(_offsets[slot], new DateTimeOffset(_utcTicks[slot], TimeSpan.Zero));
        }
    }

    /// <summary>The newest point; the ring must not be empty.</summary>
    [JsonIgnore]
    public OffsetPoint Last => this[_count - 1];

    /// <summary>Moves the newest point to <paramref name="at"/> (a run of equal offsets keeps only its first and last time).</summary>
    public void MoveLastTo(DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfZero(_count);
        _utcTicks[(_first + _count - 1) % _offsets.Length] = at.UtcTicks;
    }

    public void Clear() => _first = _count = 0;
}

internal readonly record struct OffsetPoint(long Offset, DateTimeOffset At);
