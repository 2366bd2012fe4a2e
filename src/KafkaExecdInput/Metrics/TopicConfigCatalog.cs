using System.Collections.Frozen;
using System.Globalization;
using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.Metrics;

/// <summary>How a topic config's value is written (Metrics/Families/TopicConfigFamily.cs).</summary>
internal enum TopicConfigKind
{
    /// <summary>A whole number: an integer field.</summary>
    Integer,

    /// <summary>A fraction (<c>min.cleanable.dirty.ratio</c>): a float field.</summary>
    Float,

    /// <summary>A name, a list or a flag: the <c>value</c> tag of an info series.</summary>
    Text,
}

/// <summary>
/// The topic-level configs Kafka 4.x knows (apache/kafka <c>TopicConfig</c>), with how each is written.
/// A key not listed here is reported as text (nothing is guessed about its type) after one start-up warning.
/// </summary>
internal static class TopicConfigCatalog
{
    /// <summary>The default of <c>topic_configs</c>: retention, compaction and durability at a glance.</summary>
    public static readonly IReadOnlyList<string> DefaultKeys =
        ["retention.ms", "retention.bytes", "cleanup.policy", "min.insync.replicas", "segment.bytes", "max.message.bytes"];

    private static readonly FrozenDictionary<string, TopicConfigKind> Known = new Dictionary<string, TopicConfigKind>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = TopicConfigKind.Text,
        ["compression.type"] = TopicConfigKind.Text,
        ["compression.gzip.level"] = TopicConfigKind.Integer,
        ["compression.lz4.level"] = TopicConfigKind.Integer,
        ["compression.zstd.level"] = TopicConfigKind.Integer,
        ["delete.retention.ms"] = TopicConfigKind.Integer,
        ["file.delete.delay.ms"] = TopicConfigKind.Integer,
        ["flush.messages"] = TopicConfigKind.Integer,
        ["flush.ms"] = TopicConfigKind.Integer,
        ["follower.replication.throttled.replicas"] = TopicConfigKind.Text,
        ["index.interval.bytes"] = TopicConfigKind.Integer,
        ["leader.replication.throttled.replicas"] = TopicConfigKind.Text,
        ["local.retention.bytes"] = TopicConfigKind.Integer,
        ["local.retention.ms"] = TopicConfigKind.Integer,
        ["max.compaction.lag.ms"] = TopicConfigKind.Integer,
        ["max.message.bytes"] = TopicConfigKind.Integer,
        ["message.downconversion.enable"] = TopicConfigKind.Text,
        ["message.format.version"] = TopicConfigKind.Text,
        ["message.timestamp.after.max.ms"] = TopicConfigKind.Integer,
        ["message.timestamp.before.max.ms"] = TopicConfigKind.Integer,
        ["message.timestamp.difference.max.ms"] = TopicConfigKind.Integer,
        ["message.timestamp.type"] = TopicConfigKind.Text,
        ["min.cleanable.dirty.ratio"] = TopicConfigKind.Float,
        ["min.compaction.lag.ms"] = TopicConfigKind.Integer,
        ["min.insync.replicas"] = TopicConfigKind.Integer,
        ["preallocate"] = TopicConfigKind.Text,
        ["remote.log.copy.disable"] = TopicConfigKind.Text,
        ["remote.log.delete.on.disable"] = TopicConfigKind.Text,
        ["remote.storage.enable"] = TopicConfigKind.Text,
        ["retention.bytes"] = TopicConfigKind.Integer,
        ["retention.ms"] = TopicConfigKind.Integer,
        ["segment.bytes"] = TopicConfigKind.Integer,
        ["segment.index.bytes"] = TopicConfigKind.Integer,
        ["segment.jitter.ms"] = TopicConfigKind.Integer,
        ["segment.ms"] = TopicConfigKind.Integer,
        ["unclean.leader.election.enable"] = TopicConfigKind.Text,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Field keys by config key, built once per key (the families are shared and allocation-free per line).</summary>
    private static readonly FrozenDictionary<string, EncodedName> FieldKeys =
        Known.Keys.ToFrozenDictionary(key => key, key => EncodedName.FieldKey(FieldName(key)), StringComparer.Ordinal);

    public static bool IsKnown(string key) => Known.ContainsKey(key);

    public static TopicConfigKind KindOf(string key) => Known.GetValueOrDefault(key, TopicConfigKind.Text);

    /// <summary>"retention.ms" → "retention_ms": the field's name, so its Prometheus name is <c>kafka_topic_config_retention_ms</c>.</summary>
    public static string FieldName(string key) => key.Replace('.', '_');

    /// <summary>The field key of a numeric config.</summary>
    public static EncodedName FieldKey(string key) => FieldKeys.TryGetValue(key, out var name) ? name : EncodedName.FieldKey(FieldName(key));

    /// <summary>A whole-number value, or null when Kafka's text is not one (then it is left out, never written as 0).</summary>
    public static long? ParseInteger(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    public static double? ParseFloat(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null;
}
