namespace KafkaExecdInput.History;

// What metric families keep per entity across gathers. A family that needs more adds a field here
// and to the persisted form (History/HistoryFileFormat.cs), whose version then goes up.

/// <summary>State kept per consumer group (the key's first and last sightings are on its <see cref="HistoryEntry{TKey,TState}"/>).</summary>
internal sealed class GroupHistory;

/// <summary>State kept per topic partition.</summary>
internal sealed class PartitionHistory
{
    /// <summary>Points kept for lag in seconds (design.md §8 kafka-lag-exporter keeps up to 60).</summary>
    public const int LatestOffsetPoints = 60;

    /// <summary>The partition's latest offset (high watermark) at recent gathers.</summary>
    public OffsetRing LatestOffsets { get; init; } = new(LatestOffsetPoints);
}

/// <summary>State kept per group and partition.</summary>
internal sealed class GroupPartitionHistory
{
    /// <summary>The group's committed offset on the partition at recent gathers, with the lag then (lag status).</summary>
    public CommitWindow Commits { get; set; } = new(LagStatusSettings.DefaultWindow);
}
