using KafkaExecdInput.Configuration;
using KafkaExecdInput.History;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Collection;

/// <summary>
/// What each gather asks Kafka for: the parts the metric families that are on read
/// (<see cref="MetricFamilies.NeedsOf"/>), so a family turned off with <c>exclude_metrics</c> costs no
/// request, and the topic config cache that decides when DescribeConfigs is due. <paramref name="Sharded"/>:
/// the worker reads only a share of the cluster (README, Sharding), so a resumed gather tells it the commits already held.
/// </summary>
internal sealed record GatherPlan(SnapshotNeeds Needs, TopicConfigCache? TopicConfigs, bool Sharded = false)
{
    /// <summary>Every part but topic configs: what tools and tests that do not say get.</summary>
    public static readonly GatherPlan Default = new((SnapshotNeeds)~0 & ~(SnapshotNeeds.TopicConfigs | SnapshotNeeds.MinInsyncReplicas), null);

    /// <summary>The plan for these families: topic configs are read only when a family that is on needs them.</summary>
    public static GatherPlan For(PluginConfig config, IEnumerable<MetricFamily> families, TimeProvider time, ILogger logger)
    {
        var needs = MetricFamilies.NeedsOf(families);
        var reported = (needs & SnapshotNeeds.TopicConfigs) != 0 ? config.Get(Options.TopicConfigs) : [];
        var keys = reported.ToList();
        if ((needs & SnapshotNeeds.MinInsyncReplicas) != 0 && !keys.Contains(TopicConfigTable.MinInsyncReplicasKey))
        {
            keys.Add(TopicConfigTable.MinInsyncReplicasKey);
        }
        foreach (var key in reported.Where(k => !TopicConfigCatalog.IsKnown(k)))
        {
            logger.LogWarning("{Option}: \"{Key}\" is not a topic config Kafka 4 knows; it is asked for anyway and reported as text if a broker returns it",
                Options.Qualified(Options.TopicConfigs.Key), key);
        }
        var cache = keys.Count > 0
            ? new TopicConfigCache(keys, reported.ToHashSet(StringComparer.Ordinal), config.Get(Options.TopicConfigInterval), time, logger)
            : null;
        return new GatherPlan(needs, cache, Sharded: !Sharding.Shard.Of(config).IsWhole);
    }
}
