namespace KafkaExecdInput.History;

/// <summary>
/// The last <see cref="Capacity"/> observations of one group's committed offset on one partition,
/// oldest first, each with when it was observed and the lag at that time: the window Burrow-style
/// lag status is evaluated over (History/LagStatusEvaluator.cs). Adding to a full window drops its
/// oldest observation.
/// </summary>
internal sealed class CommitWindow
{
    // Rows of three longs (offset, time, lag) in one circular buffer (History/RingIndex.cs), grown as
    // observations arrive: at 150,000 group-partitions a full window of 10 is 40 MB, and a
    // group-partition seen once costs 72 bytes.
    private const int Columns = 3;
    private long[] _rows = new long[RingIndex.InitialSize * Columns];
    private RingIndex _index;

    public CommitWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _index = new RingIndex(capacity);
    }

    public int Capacity => _index.Capacity;

    public int Count => _index.Count;

    public bool IsFull => _index.IsFull;

    /// <summary>The observation at <paramref name="index"/>, 0 being the oldest.</summary>
    public CommitObservation this[int index]
    {
        get
        {
            var row = _index.SlotOf(index, Rows) * Columns;
            return new CommitObservation(_rows[row], new DateTimeOffset(_rows[row + 1], TimeSpan.Zero), _rows[row + 2]);
        }
    }

    /// <summary>The newest observation; the window must not be empty.</summary>
    public CommitObservation Last => this[Count - 1];

    public void Add(long offset, DateTimeOffset at, long lag)
    {
        if (_index.MustGrow(Rows))
        {
            _rows = _index.Grown(_rows, _index.GrownLength(Rows), Columns);
        }
        var row = _index.Append(Rows) * Columns;
        _rows[row] = offset;
        _rows[row + 1] = at.UtcTicks;
        _rows[row + 2] = lag;
    }

    /// <summary>A window of <paramref name="capacity"/> holding this one's newest observations (the configured window changed).</summary>
    public CommitWindow Resized(int capacity)
    {
        var resized = new CommitWindow(capacity);
        for (var i = Math.Max(0, Count - capacity); i < Count; i++)
        {
            var observation = this[i];
            resized.Add(observation.Offset, observation.At, observation.Lag);
        }
        return resized;
    }

    private int Rows => _rows.Length / Columns;
}

/// <summary>A committed offset as one gather saw it, with the partition's lag (latest − committed, at least 0) then.</summary>
internal readonly record struct CommitObservation(long Offset, DateTimeOffset At, long Lag);
