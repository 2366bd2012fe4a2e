using System.Globalization;
using System.Text.Json.Serialization;
using KafkaExecdInput.Configuration;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Sharding;

/// <summary>
/// One agent's share of a cluster, when several plugin instances (each under its own Telegraf) split
/// it so that together they collect every line exactly once (README, Sharding). It answers who
/// writes which line; the worker asks it before each offset fetch and ListOffsets (so a shard costs
/// fewer requests than the whole) and the parent before writing partition, topic and cluster lines.
/// </summary>
/// <remarks>
/// Where lines come from:
/// <list type="bullet">
/// <item>a group's lines (members, state, offsets, lag, lag in seconds): the shard that owns the group;</item>
/// <item>a partition's <c>kafka_topic_partition</c> line: the shard that owns the partition;</item>
/// <item>cluster-wide lines (<c>kafka</c>, <c>kafka_broker</c>, any cluster-level family): exactly one
/// shard, <see cref="OwnsClusterLines"/>;</item>
/// <item><c>kafka_topic</c> (and topic-level families): the topic's owner by hash; by broker the shard of
/// the cluster-wide lines, since a topic's partitions have many leaders.</item>
/// </list>
/// A group's lag needs the latest offsets of the partitions it committed, whoever owns them: the worker
/// reads those too (after the commits, so lag is never negative), they are just not written as
/// partition lines.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = MessageCodec.KindProperty)]
[JsonDerivedType(typeof(WholeCluster), "whole")]
[JsonDerivedType(typeof(ByHash), "hash")]
[JsonDerivedType(typeof(ByBroker), "broker")]
internal abstract record Shard
{
    /// <summary>No sharding: this agent collects everything.</summary>
    public static readonly Shard Whole = new WholeCluster();

    /// <summary>True when this agent collects everything.</summary>
    [JsonIgnore]
    public virtual bool IsWhole => false;

    /// <summary>Whether this shard collects the group, given the broker that coordinates it (-1 when unknown).</summary>
    public abstract bool OwnsGroup(string groupId, int coordinator);

    /// <summary>Before the coordinator is known: false only when the group certainly belongs to another shard.</summary>
    public virtual bool MayOwnGroup(string groupId) => true;

    /// <summary>Whether this shard writes the cluster-wide lines of a gather that read this metadata.</summary>
    public abstract bool OwnsClusterLines(ClusterMetadata metadata);

    /// <summary>Whether this shard writes the topic's topic-level lines.</summary>
    public abstract bool OwnsTopic(string topic, bool ownsClusterLines);

    /// <summary>
    /// Whether this shard writes the partition's line. <paramref name="leaderIsListed"/> is false for an
    /// offline partition (leader -1) or a leader the metadata does not list: no broker's shard has it.
    /// </summary>
    public abstract bool OwnsPartition(string topic, int leader, bool leaderIsListed, bool ownsClusterLines);

    /// <summary>The shard a checked configuration names (its shard options are exclusive).</summary>
    public static Shard Of(PluginConfig config) =>
        config.Get(Options.ShardByBroker) is { } brokerId ? new ByBroker(brokerId)
        : config.Get(Options.Shard) is { } text ? ByHash.Parse(text, out _)!
        : Whole;

    /// <summary>The shard's decisions for one gather's metadata.</summary>
    public ShardScope For(ClusterMetadata metadata) => new(this, metadata);

    /// <summary>How the shard is named in logs and messages ("shard 2/8").</summary>
    public abstract string Describe();

    /// <summary>Everything: the plugin without a shard option.</summary>
    public sealed record WholeCluster : Shard
    {
        public override bool IsWhole => true;

        public override bool OwnsGroup(string groupId, int coordinator) => true;

        public override bool OwnsClusterLines(ClusterMetadata metadata) => true;

        public override bool OwnsTopic(string topic, bool ownsClusterLines) => true;

        public override bool OwnsPartition(string topic, int leader, bool leaderIsListed, bool ownsClusterLines) => true;

        public override string Describe() => "the whole cluster";
    }

    /// <summary>
    /// <c>shard = "Index/Count"</c>: the groups and topics whose name's <see cref="StableHash.Fnv1a32"/>
    /// modulo <paramref name="Count"/> is <paramref name="Index"/> − 1 (a topic with all its partitions).
    /// Shard 1 writes the cluster-wide lines. Moves nothing when the cluster changes; a change of Count
    /// moves most names.
    /// </summary>
    public sealed record ByHash(int Index, int Count) : Shard
    {
        public bool Owns(string name) => StableHash.Fnv1a32(name) % (uint)Count == (uint)(Index - 1);

        public override bool OwnsGroup(string groupId, int coordinator) => Owns(groupId);

        public override bool MayOwnGroup(string groupId) => Owns(groupId);

        public override bool OwnsClusterLines(ClusterMetadata metadata) => Index == 1;

        public override bool OwnsTopic(string topic, bool ownsClusterLines) => Owns(topic);

        public override bool OwnsPartition(string topic, int leader, bool leaderIsListed, bool ownsClusterLines) => Owns(topic);

        public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"shard {Index}/{Count}");

        /// <summary>Reads "k/n" (1 ≤ k ≤ n); null and the problem when it is not one.</summary>
        public static ByHash? Parse(string text, out string? problem)
        {
            problem = null;
            var parts = text.Split('/');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                problem = "is not \"k/n\" (this agent's shard k of n, e.g. \"2/8\")";
                return null;
            }
            if (count == 0)
            {
                problem = "has n = 0: there must be at least one shard";
                return null;
            }
            if (index < 1 || index > count)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"has k = {index}: shards are numbered 1 to n ({count})");
                return null;
            }
            return new ByHash(index, count);
        }
    }

    /// <summary>
    /// <c>shard_by_broker = BrokerId</c>: the groups this broker coordinates and the partitions it leads,
    /// as each gather finds them, so the work follows coordinator and leader moves. The shard of the
    /// lowest broker id in the metadata writes the cluster-wide and topic lines, and the lines of
    /// partitions without a listed leader.
    /// </summary>
    public sealed record ByBroker(int BrokerId) : Shard
    {
        public override bool OwnsGroup(string groupId, int coordinator) => coordinator == BrokerId;

        public override bool OwnsClusterLines(ClusterMetadata metadata) =>
            metadata.Brokers.Count > 0 && metadata.Brokers.Min(b => b.Id) == BrokerId;

        public override bool OwnsTopic(string topic, bool ownsClusterLines) => ownsClusterLines;

        public override bool OwnsPartition(string topic, int leader, bool leaderIsListed, bool ownsClusterLines) =>
            leaderIsListed ? leader == BrokerId : ownsClusterLines;

        public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"shard_by_broker {BrokerId}");
    }
}

/// <summary>A <see cref="Shard"/>'s decisions for the metadata of one gather.</summary>
internal sealed class ShardScope
{
    private readonly Shard _shard;
    private readonly HashSet<int> _brokers;

    public ShardScope(Shard shard, ClusterMetadata metadata)
    {
        _shard = shard;
        _brokers = [.. metadata.Brokers.Select(b => b.Id)];
        OwnsClusterLines = shard.OwnsClusterLines(metadata);
    }

    /// <summary>This shard writes the cluster-wide lines (brokers, cluster-level families).</summary>
    public bool OwnsClusterLines { get; }

    public bool OwnsTopic(string topic) => _shard.OwnsTopic(topic, OwnsClusterLines);

    public bool OwnsPartition(string topic, int leader) =>
        _shard.OwnsPartition(topic, leader, leader >= 0 && _brokers.Contains(leader), OwnsClusterLines);
}
