using System.Text.Json.Serialization;

namespace KafkaExecdInput.History;

/// <summary>
/// The last <see cref="Capacity"/> observations of one group's committed offset on one partition,
/// oldest first, each with when it was observed and the lag at that time: the window Burrow-style
/// lag status is evaluated over (History/LagStatusEvaluator.cs). Adding to a full window drops its
/// oldest observation.
/// </summary>
[JsonConverter(typeof(CommitWindowJsonConverter))]
internal sealed class CommitWindow
{
    // Three arrays of longs in one circular buffer (History/RingIndex.cs), grown as observations arrive:
    // at 150,000 group-partitions a full window of 10 is 36 MB, and a group-partition seen once costs 48 bytes.
    private long[] _offsets = new long[RingIndex.InitialSize];
    private long[] _utcTicks = new long[RingIndex.InitialSize];
    private long[] _lags = new long[RingIndex.InitialSize];
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
            var slot = _index.SlotOf(index, _offsets.Length);
            return new CommitObservation(_offsets[slot], new DateTimeOffset(_utcTicks[slot], TimeSpan.Zero), _lags[slot]);
        }
    }

    /// <summary>The newest observation; the window must not be empty.</summary>
    public CommitObservation Last => this[Count - 1];

    public void Add(long offset, DateTimeOffset at, long lag)
    {
        if (_index.MustGrow(_offsets.Length))
        {
            var size = _index.GrownLength(_offsets.Length);
            (_offsets, _utcTicks, _lags) = (_index.Grown(_offsets, size), _index.Grown(_utcTicks, size), _index.Grown(_lags, size));
        }
        var slot = _index.Append(_offsets.Length);
        _offsets[slot] = offset;
        _utcTicks[slot] = at.UtcTicks;
        _lags[slot] = lag;
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
}

/// <summary>A committed offset as one gather saw it, with the partition's lag (latest − committed, at least 0) then.</summary>
internal readonly record struct CommitObservation(long Offset, DateTimeOffset At, long Lag);
