namespace KafkaExecdInput.History;

/// <summary>
/// The last <see cref="Capacity"/> offsets seen, with when they were seen, oldest first: the window
/// that lag in seconds (latest offsets) and Burrow-style evaluation (commits) are computed over
/// (design.md §8). Adding to a full ring drops its oldest point.
/// </summary>
internal sealed class OffsetRing
{
    // A circular buffer rather than a queue: lag in seconds reads points by index every gather for
    // every lagging partition, and must not copy the ring to do so. A point is two longs, offset and
    // time, in one array (16 bytes a point instead of 24 as a struct of DateTimeOffset), grown as points
    // arrive: at 50,000 partitions the full rings are 48 MB, and a ring that holds two points (an idle
    // partition) costs 56 bytes.
    private const int Columns = 2;
    private long[] _rows = new long[RingIndex.InitialSize * Columns];
    private RingIndex _index;

    public OffsetRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _index = new RingIndex(capacity);
    }

    public int Capacity => _index.Capacity;

    public IReadOnlyList<OffsetPoint> Points => [.. Enumerable.Range(0, Count).Select(i => this[i])];

    public int Count => _index.Count;

    public bool IsFull => _index.IsFull;

    public void Add(long offset, DateTimeOffset at)
    {
        if (_index.MustGrow(Rows))
        {
            _rows = _index.Grown(_rows, _index.GrownLength(Rows), Columns);
        }
        var row = _index.Append(Rows) * Columns;
        _rows[row] = offset;
        _rows[row + 1] = at.UtcTicks;
    }

    /// <summary>The point at <paramref name="index"/>, 0 being the oldest.</summary>
    public OffsetPoint this[int index]
    {
        get
        {
            var row = _index.SlotOf(index, Rows) * Columns;
            return new OffsetPoint(_rows[row], new DateTimeOffset(_rows[row + 1], TimeSpan.Zero));
        }
    }

    /// <summary>The newest point; the ring must not be empty.</summary>
    public OffsetPoint Last => this[Count - 1];

    /// <summary>Moves the newest point to <paramref name="at"/> (a run of equal offsets keeps only its first and last time).</summary>
    public void MoveLastTo(DateTimeOffset at)
    {
        _rows[(_index.SlotOf(Count - 1, Rows) * Columns) + 1] = at.UtcTicks;
    }

    public void Clear() => _index.Clear();

    private int Rows => _rows.Length / Columns;
}

internal readonly record struct OffsetPoint(long Offset, DateTimeOffset At);
