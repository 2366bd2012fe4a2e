namespace KafkaExecdInput.Snapshot;

/// <summary>
/// Burrow's partition and group statuses (README, "Lag status"), numbered as Telegraf's
/// <c>inputs.burrow</c> numbers them, so its dashboards and alerts read this plugin's
/// <c>status_code</c> unchanged. REWIND, which Telegraf's mapping loses to 0, is 7 here: the next
/// free code, so every code from 1 to 6 means what it means there.
/// </summary>
public enum LagStatus
{
    /// <summary>Lag is within allowed_lag at some point of the window, or the consumer is keeping up.</summary>
    Ok = 1,

    /// <summary>Burrow's code for a group it does not know; this plugin never writes it (a group it does not see has no line).</summary>
    NotFound = 2,

    /// <summary>The offset moves, but lag has not decreased anywhere in the window: the consumer is slower than the producers.</summary>
    Warn = 3,

    /// <summary>Group level only: its worst partition is STOP, STALL or REWIND.</summary>
    Err = 4,

    /// <summary>The offset did not move over the whole window and the group has no members to commit.</summary>
    Stop = 5,

    /// <summary>The offset did not move over the whole window while the group has members: they commit the same offset.</summary>
    Stall = 6,

    /// <summary>The committed offset went backwards inside the window (a reset or a rewind).</summary>
    Rewind = 7,
}

/// <summary>A status with how much of its window the evaluation had.</summary>
/// <param name="Complete">For a partition, observations in the window ÷ the window's size; for a group, the share of its partitions whose window is full.</param>
public readonly record struct LagStatusValue(LagStatus Status, double Complete)
{
    /// <summary>Burrow's upper-case name (OK, WARN, ERR, STOP, STALL, REWIND), the <c>status</c> field.</summary>
    public string Name => Status switch
    {
        LagStatus.Ok => "OK",
        LagStatus.NotFound => "NOT_FOUND",
        LagStatus.Warn => "WARN",
        LagStatus.Err => "ERR",
        LagStatus.Stop => "STOP",
        LagStatus.Stall => "STALL",
        LagStatus.Rewind => "REWIND",
        _ => Status.ToString(),
    };
}

/// <summary>
/// Lag status per group-partition and per group, computed in the parent after each gather from the
/// snapshot and the history (History/LagStatusEvaluator). Without an entry there is no status this
/// gather: the partition's latest offset is unknown, or its window cannot tell yet.
/// </summary>
public sealed class LagStatusTable(int partitionCapacity = 0, int groupCapacity = 0)
{
    // Sized up front (ClusterSnapshot.CommittedOffsetCount): grown by doubling, the table at L rehashed 150,000 entries and left
    // large arrays behind for the next gen2 collection, in the gather.
    private readonly Dictionary<(string Group, string Topic, int Partition), LagStatusValue> _partitions = new(partitionCapacity);
    private readonly Dictionary<string, LagStatusValue> _groups = new(groupCapacity, StringComparer.Ordinal);

    public int Count => _partitions.Count + _groups.Count;

    public void Set(string group, string topic, int partition, LagStatusValue value) => _partitions[(group, topic, partition)] = value;

    public LagStatusValue? Get(string group, string topic, int partition) =>
        _partitions.TryGetValue((group, topic, partition), out var value) ? value : null;

    public void SetGroup(string group, LagStatusValue value) => _groups[group] = value;

    public LagStatusValue? GetGroup(string group) => _groups.TryGetValue(group, out var value) ? value : null;
}
