using System.Text;

namespace KafkaTestCluster.State;

/// <summary>A topic: identity, partitions and per-topic config overrides. Guarded by <see cref="ClusterState.Sync"/>.</summary>
internal sealed class TopicState(string name, Guid topicId, bool isInternal, PartitionState[] partitions, Dictionary<string, string> configOverrides)
{
    public string Name { get; } = name;

    /// <summary>Cached UTF-8 name: Metadata and ListOffsets write it once per topic per response.</summary>
    public byte[] NameUtf8 { get; } = Encoding.UTF8.GetBytes(name);

    public Guid TopicId { get; } = topicId;

    public bool IsInternal { get; } = isInternal;

    public PartitionState[] Partitions { get; } = partitions;

    public Dictionary<string, string> ConfigOverrides { get; } = configOverrides;

    public PartitionState? Partition(int index) => (uint)index < (uint)Partitions.Length ? Partitions[index] : null;
}
