using System.Globalization;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Snapshot;

/// <summary>
/// Topic configs as the last DescribeConfigs refresh read them (History/TopicConfigCache keeps it across
/// gathers): per topic, the keys Kafka returned. A topic created since that refresh has no entry.
/// <see cref="ReportedOf"/> holds only the keys the user listed in <c>topic_configs</c>; others (such as
/// <c>min.insync.replicas</c> when only the topic_replication family needs it) are read but not written as configs.
/// </summary>
public sealed class TopicConfigTable
{
    public const string MinInsyncReplicasKey = "min.insync.replicas";

    private static readonly Comparison<ConfigValue> KeyOrder = static (x, y) => string.CompareOrdinal(x.Key, y.Key);

    private readonly Dictionary<string, (Dictionary<string, string> All, ConfigValue[] Reported)> _byTopic = new(StringComparer.Ordinal);

    /// <param name="reportedKeys">The keys written as topic configs (null: all of them).</param>
    public TopicConfigTable(IEnumerable<TopicConfigValues> topics, IReadOnlyCollection<string>? reportedKeys = null)
    {
        foreach (var topic in topics)
        {
            var all = new Dictionary<string, string>(topic.Configs.Count, StringComparer.Ordinal);
            var reported = new List<ConfigValue>(topic.Configs.Count);
            foreach (var config in topic.Configs)
            {
                if (all.TryAdd(config.Key, config.Value) && (reportedKeys is null || reportedKeys.Contains(config.Key)))
                {
                    reported.Add(config);
                }
            }
            reported.Sort(KeyOrder);
            _byTopic[topic.Topic] = (all, [.. reported]);
        }
    }

    public int Count => _byTopic.Count;

    /// <summary>The config's value as Kafka wrote it, or null when it was not read for this topic.</summary>
    public string? Get(string topic, string key) =>
        _byTopic.TryGetValue(topic, out var configs) && configs.All.TryGetValue(key, out var value) ? value : null;

    /// <summary>The topic's configs listed in <c>topic_configs</c>, by key; empty when none were read.</summary>
    public ReadOnlySpan<ConfigValue> ReportedOf(string topic) =>
        _byTopic.TryGetValue(topic, out var configs) ? configs.Reported : [];

    /// <summary>The topic's <c>min.insync.replicas</c>, or null when it was not read or is not a positive number.</summary>
    public int? MinInsyncReplicas(string topic) =>
        int.TryParse(Get(topic, MinInsyncReplicasKey), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;
}
