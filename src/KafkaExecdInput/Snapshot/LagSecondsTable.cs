namespace KafkaExecdInput.Snapshot;

/// <summary>
/// Where a <see cref="LagSeconds"/> value came from (README, "Lag in seconds"). Written as the integer
/// field <c>lag_seconds_source</c>, so a dashboard can tell an exact age from an estimate or a bound.
/// </summary>
public enum LagSecondsSource
{
    /// <summary>The committed offset is at or past the latest offset: nothing to read, 0 s.</summary>
    CaughtUp = 0,

    /// <summary>The timestamp of the record at the committed offset, read from the broker (lag_seconds_exact).</summary>
    Exact = 1,

    /// <summary>
    /// Interpolated between the two gathers of the plugin's latest-offset history between which the
    /// record was written: off by at most the time between those gathers.
    /// </summary>
    Interpolated = 2,

    /// <summary>
    /// The record is older than the oldest point of the history: the value is that point's age, a lower
    /// bound (never an extrapolation).
    /// </summary>
    AtLeast = 3,
}

/// <summary>How old the next record a group will read on a partition is, in seconds (never negative).</summary>
public readonly record struct LagSeconds(double Seconds, LagSecondsSource Source);

/// <summary>
/// Lag in seconds per group and partition, computed in the parent after each gather from the snapshot
/// and the history (History/LagSecondsEstimator). A group-partition without an entry has no value this
/// gather: its latest offset is unknown, or neither the exact read nor the history could answer.
/// </summary>
public sealed class LagSecondsTable(int capacity = 0)
{
    // Sized up front, as LagStatusTable is, and for the same reason.
    private readonly Dictionary<(string Group, string Topic, int Partition), LagSeconds> _values = new(capacity);

    public int Count => _values.Count;

    public void Set(string group, string topic, int partition, LagSeconds value) => _values[(group, topic, partition)] = value;

    public LagSeconds? Get(string group, string topic, int partition) =>
        _values.TryGetValue((group, topic, partition), out var value) ? value : null;
}
