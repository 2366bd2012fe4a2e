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
    // Three arrays of longs in one circular buffer, grown as observations arrive (like OffsetRing):
    // at 150,000 group-partitions a full window of 10 is 36 MB, and a group-partition seen once costs 48 bytes.
    private const int InitialSize = 2;
    private long[] _offsets = new long[InitialSize];
    private long[] _utcTicks = new long[InitialSize];
    private long[] _lags = new long[InitialSize];
    private int _first;
    private int _count;

    public CommitWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _count;

    public bool IsFull => _count == Capacity;

    /// <summary>The observation at <paramref name="index"/>, 0 being the oldest.</summary>
    public CommitObservation this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            var slot = (_first + index) % _offsets.Length;
            return new CommitObservation(_offsets[slot], new DateTimeOffset(_utcTicks[slot], TimeSpan.Zero), _lags[slot]);
        }
    }

    /// <summary>The newest observation; the window must not be empty.</summary>
    public CommitObservation Last => this[_count - 1];

    public void Add(long offset, DateTimeOffset at, long lag)
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
        _lags[slot] = lag;
        _count++;
    }

    /// <summary>A window of <paramref name="capacity"/> holding this one's newest observations (the configured window changed).</summary>
    public CommitWindow Resized(int capacity)
    {
        var resized = new CommitWindow(capacity);
        for (var i = Math.Max(0, _count - capacity); i < _count; i++)
        {
            var observation = this[i];
            resized.Add(observation.Offset, observation.At, observation.Lag);
        }
        return resized;
    }

    private void Grow()
    {
        var size = Math.Min(Capacity, _offsets.Length * 2);
        var offsets = new long[size];
        var ticks = new long[size];
        var lags = new long[size];
        for (var i = 0; i < _count; i++)
        {
            var slot = (_first + i) % _offsets.Length;
            offsets[i] = _offsets[slot];
            ticks[i] = _utcTicks[slot];
            lags[i] = _lags[slot];
        }
        (_offsets, _utcTicks, _lags, _first) = (offsets, ticks, lags, 0);
    }
}

/// <summary>A committed offset as one gather saw it, with the partition's lag (latest − committed, at least 0) then.</summary>
internal readonly record struct CommitObservation(long Offset, DateTimeOffset At, long Lag);
