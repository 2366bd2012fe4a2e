namespace KafkaTestCluster.State;

/// <summary>A consumer group as its coordinator holds it. Guarded by <see cref="ClusterState.Sync"/>.</summary>
internal sealed class GroupData(string groupId)
{
    public string GroupId { get; } = groupId;

    public GroupState State { get; set; } = GroupState.Empty;

    /// <summary>"" for a group that only exists through offset commits, as in Kafka.</summary>
    public string ProtocolType { get; set; } = "";

    public string Protocol { get; set; } = "";

    public int GenerationId { get; set; }

    public List<MemberData> Members { get; set; } = [];

    /// <summary>topic -> partition -> committed offset.</summary>
    public Dictionary<string, Dictionary<int, CommittedOffset>> Commits { get; } = new(StringComparer.Ordinal);

    public void Commit(string topic, int partition, CommittedOffset offset)
    {
        if (!Commits.TryGetValue(topic, out var partitions))
        {
            partitions = [];
            Commits[topic] = partitions;
        }

        partitions[partition] = offset;
    }

    public CommittedOffset? Committed(string topic, int partition) =>
        Commits.TryGetValue(topic, out var partitions) && partitions.TryGetValue(partition, out var offset) ? offset : null;

    public bool HasMember(string memberId) => Members.Exists(m => m.MemberId == memberId);
}

/// <summary>A member with its wire-format subscription (metadata) and assignment, encoded once at set-up.</summary>
internal sealed record MemberData(string MemberId, string? GroupInstanceId, string ClientId, string Host, byte[] Metadata, byte[] Assignment);

internal readonly record struct CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);
