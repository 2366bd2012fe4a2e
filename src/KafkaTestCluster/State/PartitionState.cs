namespace KafkaTestCluster.State;

/// <summary>
/// One partition: placement, watermarks and the record timestamps ListOffsets searches. Guarded by
/// <see cref="ClusterState.Sync"/>.
/// </summary>
internal sealed class PartitionState(int index, int[] replicas, int leader, int[] isr)
{
    public int Index { get; } = index;

    public int[] Replicas { get; set; } = replicas;

    /// <summary>-1 = offline.</summary>
    public int Leader { get; set; } = leader;

    public int[] Isr { get; set; } = isr;

    public int[] OfflineReplicas { get; set; } = [];

    /// <summary>Bumped on every placement change so clients holding the old epoch get FENCED_LEADER_EPOCH.</summary>
    public int LeaderEpoch { get; set; }

    public long LogStartOffset { get; set; }

    public long HighWatermark { get; set; }

    public RecordTimeline Timeline { get; } = new();
}
