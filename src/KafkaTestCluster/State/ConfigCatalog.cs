using System.Globalization;

namespace KafkaTestCluster.State;

/// <summary>Kafka's DescribeConfigs config_source values.</summary>
internal enum ConfigSource : sbyte
{
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
}

/// <summary>Kafka's DescribeConfigs config_type values.</summary>
internal enum ConfigType : sbyte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}

/// <summary>A topic config Kafka knows: its default and the broker config that supplies the default.</summary>
internal sealed record TopicConfigDefinition(string Name, string DefaultValue, ConfigType Type, string? BrokerSynonym, string Documentation);

/// <summary>A resolved config entry as DescribeConfigs reports it.</summary>
internal sealed record ConfigEntry(
    string Name,
    string? Value,
    bool ReadOnly,
    ConfigSource Source,
    bool Sensitive,
    ConfigType Type,
    string? Documentation,
    IReadOnlyList<(string Name, string? Value, ConfigSource Source)> Synonyms);

/// <summary>
/// The config defaults of an Apache Kafka 4.x broker that a monitoring client looks at. Values are Kafka's
/// shipped defaults, so a plugin reading them sees what a freshly installed cluster reports.
/// </summary>
internal static class ConfigCatalog
{
    public static readonly IReadOnlyList<TopicConfigDefinition> TopicConfigs =
    [
        new("cleanup.policy", "delete", ConfigType.List, "log.cleanup.policy", "Designates the retention policy to use on old log segments."),
        new("compression.type", "producer", ConfigType.String, "compression.type", "Specify the final compression type for a given topic."),
        new("delete.retention.ms", "86400000", ConfigType.Long, "log.cleaner.delete.retention.ms", "The amount of time to retain delete tombstone markers for log compacted topics."),
        new("file.delete.delay.ms", "60000", ConfigType.Long, "log.segment.delete.delay.ms", "The time to wait before deleting a file from the filesystem."),
        new("flush.messages", "9223372036854775807", ConfigType.Long, "log.flush.interval.messages", "Number of messages accumulated before an fsync is forced."),
        new("flush.ms", "9223372036854775807", ConfigType.Long, "log.flush.interval.ms", "Time interval at which an fsync of data written to the log is forced."),
        new("index.interval.bytes", "4096", ConfigType.Int, "log.index.interval.bytes", "How frequently Kafka adds an index entry to its offset index."),
        new("local.retention.bytes", "-2", ConfigType.Long, "log.local.retention.bytes", "The maximum size local log segments can grow for a partition before it deletes the old segments."),
        new("local.retention.ms", "-2", ConfigType.Long, "log.local.retention.ms", "The number of milliseconds to keep the local log segment before it gets deleted."),
        new("max.compaction.lag.ms", "9223372036854775807", ConfigType.Long, "log.cleaner.max.compaction.lag.ms", "The maximum time a message will remain ineligible for compaction in the log."),
        new("max.message.bytes", "1048588", ConfigType.Int, "message.max.bytes", "The largest record batch size allowed by Kafka (after compression if compression is enabled)."),
        new("message.timestamp.after.max.ms", "3600000", ConfigType.Long, "log.message.timestamp.after.max.ms", "The maximum allowed timestamp difference after the broker's timestamp."),
        new("message.timestamp.before.max.ms", "9223372036854775807", ConfigType.Long, "log.message.timestamp.before.max.ms", "The maximum allowed timestamp difference before the broker's timestamp."),
        new("message.timestamp.type", "CreateTime", ConfigType.String, "log.message.timestamp.type", "Define whether the timestamp in the message is message create time or log append time."),
        new("min.cleanable.dirty.ratio", "0.5", ConfigType.Double, "log.cleaner.min.cleanable.ratio", "The minimum ratio of dirty log to total log for a log to be eligible for cleaning."),
        new("min.compaction.lag.ms", "0", ConfigType.Long, "log.cleaner.min.compaction.lag.ms", "The minimum time a message will remain uncompacted in the log."),
        new("min.insync.replicas", "1", ConfigType.Int, "min.insync.replicas", "The minimum number of replicas that must acknowledge a write for it to be considered successful when acks=all."),
        new("preallocate", "false", ConfigType.Boolean, "log.preallocate", "True if we should preallocate the file on disk when creating a new log segment."),
        new("remote.storage.enable", "false", ConfigType.Boolean, null, "To enable tiered storage for a topic."),
        new("retention.bytes", "-1", ConfigType.Long, "log.retention.bytes", "The maximum size a partition can grow to before old log segments are discarded to free up space."),
        new("retention.ms", "604800000", ConfigType.Long, "log.retention.ms", "The maximum time a log is retained before old log segments are discarded to free up space."),
        new("segment.bytes", "1073741824", ConfigType.Int, "log.segment.bytes", "The segment file size for the log."),
        new("segment.index.bytes", "10485760", ConfigType.Int, "log.index.size.max.bytes", "The size of the index that maps offsets to file positions."),
        new("segment.jitter.ms", "0", ConfigType.Long, "log.roll.jitter.ms", "The maximum random jitter subtracted from the scheduled segment roll time."),
        new("segment.ms", "604800000", ConfigType.Long, "log.roll.ms", "The period of time after which Kafka will force the log to roll even if the segment file isn't full."),
        new("unclean.leader.election.enable", "false", ConfigType.Boolean, "unclean.leader.election.enable", "Indicates whether to enable replicas not in the ISR set to be elected as leader as a last resort."),
    ];

    private static readonly Dictionary<string, TopicConfigDefinition> TopicConfigsByName =
        TopicConfigs.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static bool IsTopicConfig(string name) => TopicConfigsByName.ContainsKey(name);

    public static string TopicDefault(string name) =>
        TopicConfigsByName.TryGetValue(name, out var definition) ? definition.DefaultValue : "";

    /// <summary>A topic's full config set: overrides reported as dynamic topic config, everything else as default.</summary>
    public static List<ConfigEntry> DescribeTopic(IReadOnlyDictionary<string, string> overrides, bool includeSynonyms, bool includeDocumentation)
    {
        var entries = new List<ConfigEntry>(TopicConfigs.Count + overrides.Count);
        foreach (var definition in TopicConfigs)
        {
            var synonyms = new List<(string, string?, ConfigSource)>(2);
            var overridden = overrides.TryGetValue(definition.Name, out var value);
            if (includeSynonyms)
            {
                if (overridden)
                {
                    synonyms.Add((definition.Name, value, ConfigSource.DynamicTopicConfig));
                }

                synonyms.Add((definition.BrokerSynonym ?? definition.Name, definition.DefaultValue, ConfigSource.DefaultConfig));
            }

            entries.Add(new ConfigEntry(
                definition.Name,
                overridden ? value : definition.DefaultValue,
                ReadOnly: false,
                overridden ? ConfigSource.DynamicTopicConfig : ConfigSource.DefaultConfig,
                Sensitive: false,
                definition.Type,
                includeDocumentation ? definition.Documentation : null,
                synonyms));
        }

        // Overrides the catalog does not know (only possible through the state API) are still reported.
        foreach (var (name, value) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (!TopicConfigsByName.ContainsKey(name))
            {
                entries.Add(new ConfigEntry(name, value, false, ConfigSource.DynamicTopicConfig, false, ConfigType.Unknown, null,
                    includeSynonyms ? [(name, value, ConfigSource.DynamicTopicConfig)] : []));
            }
        }

        return entries;
    }

    /// <summary>A broker's config set: a realistic subset of static and default broker configs.</summary>
    public static List<ConfigEntry> DescribeBroker(BrokerNode broker, ClusterState cluster, bool includeSynonyms, bool includeDocumentation)
    {
        var inv = CultureInfo.InvariantCulture;
        var listener = $"{cluster.ListenerName}://{broker.Host}:{broker.Port}";
        var entries = new List<ConfigEntry>();

        void Static(string name, string? value, ConfigType type, bool readOnly = true)
        {
            entries.Add(new ConfigEntry(name, value, readOnly, ConfigSource.StaticBrokerConfig, false, type,
                includeDocumentation ? $"Broker config {name}." : null,
                includeSynonyms ? [(name, value, ConfigSource.StaticBrokerConfig)] : []));
        }

        void Default(string name, string? value, ConfigType type, bool readOnly = false)
        {
            entries.Add(new ConfigEntry(name, value, readOnly, ConfigSource.DefaultConfig, false, type,
                includeDocumentation ? $"Broker config {name}." : null,
                includeSynonyms ? [(name, value, ConfigSource.DefaultConfig)] : []));
        }

        Static("advertised.listeners", listener, ConfigType.String, readOnly: false);
        Default("auto.create.topics.enable", cluster.AutoCreateTopics ? "true" : "false", ConfigType.Boolean, readOnly: true);
        Static("broker.id", broker.Id.ToString(inv), ConfigType.Int);
        Static("broker.rack", broker.Rack, ConfigType.String);
        Default("compression.type", "producer", ConfigType.String);
        Default("default.replication.factor", cluster.DefaultReplicationFactor.ToString(inv), ConfigType.Int, readOnly: true);
        Default("delete.topic.enable", "true", ConfigType.Boolean, readOnly: true);
        Static("listeners", listener, ConfigType.String, readOnly: false);
        Default("log.cleanup.policy", "delete", ConfigType.List);
        Static("log.dirs", $"/var/lib/kafka/broker-{broker.Id.ToString(inv)}", ConfigType.String);
        Default("log.retention.bytes", "-1", ConfigType.Long);
        Default("log.retention.check.interval.ms", "300000", ConfigType.Long, readOnly: true);
        Default("log.retention.hours", "168", ConfigType.Int, readOnly: true);
        Default("log.retention.minutes", null, ConfigType.Int, readOnly: true);
        Default("log.retention.ms", null, ConfigType.Long);
        Default("log.segment.bytes", "1073741824", ConfigType.Int);
        Default("message.max.bytes", "1048588", ConfigType.Int);
        Default("min.insync.replicas", "1", ConfigType.Int);
        Static("node.id", broker.Id.ToString(inv), ConfigType.Int);
        Default("num.io.threads", "8", ConfigType.Int);
        Default("num.network.threads", "3", ConfigType.Int);
        Default("num.partitions", cluster.DefaultPartitions.ToString(inv), ConfigType.Int, readOnly: true);
        Default("num.replica.fetchers", "1", ConfigType.Int);
        Default("offsets.retention.minutes", "10080", ConfigType.Int, readOnly: true);
        Default("offsets.topic.num.partitions", "50", ConfigType.Int, readOnly: true);
        Default("offsets.topic.replication.factor", "3", ConfigType.Short, readOnly: true);
        Static("process.roles", "broker,controller", ConfigType.List);
        Default("unclean.leader.election.enable", "false", ConfigType.Boolean);
        return entries;
    }
}
