using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_topic_config</c>: the configs listed in <c>topic_configs</c>, per topic, as the last
/// DescribeConfigs refresh read them (at most every <c>topic_config_interval</c>). A numeric config is a
/// field named after its key with dots as underscores (<c>retention.ms</c> → <c>retention_ms</c>); a text
/// config (<c>cleanup.policy</c>) is an info series labelled with the key and value. A numeric value Kafka
/// wrote that is not a number is left out, never written as 0. The declared fields are the default list's
/// numeric keys; any other numeric key in <c>topic_configs</c> becomes a field the same way.
/// </summary>
internal sealed class TopicConfigFamily() : MetricFamily("topic_config", SnapshotNeeds.Metadata | SnapshotNeeds.TopicConfigs, ValuesLine, InfoLine)
{
    private static readonly EncodedName Measurement = EncodedName.Measurement("kafka_topic_config");

    private static readonly MetricTag Config = new("config", "the config's key, e.g. cleanup.policy");

    private static readonly MetricTag Value = new("value", "the config's value as Kafka wrote it");

    private static readonly MetricField Info = MetricField.Integer("info", "always 1: one series per topic and text config, labelled with its value");

    private static readonly MetricLine ValuesLine = new(
        Measurement,
        [MetricTags.Topic],
        [.. TopicConfigCatalog.DefaultKeys
            .Where(key => TopicConfigCatalog.KindOf(key) == TopicConfigKind.Integer)
            .Select(key => MetricField.Integer(TopicConfigCatalog.FieldName(key), $"the topic's {key}"))]);

    private static readonly MetricLine InfoLine = new(Measurement, [Config, MetricTags.Topic, Value], Info);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (gather.Snapshot.TopicConfigs is not { } configs)
        {
            return;
        }

        foreach (TopicInfo topic in gather.Topics)
        {
            if (!gather.OwnsTopic(topic))
            {
                continue;
            }

            ReadOnlySpan<ConfigValue> values = configs.ReportedOf(topic.Name);
            if (values.IsEmpty)
            {
                continue;
            }

            writer.BeginLine(Measurement);
            writer.Tag(MetricTags.Topic.Key, topic.Name);
            foreach (ConfigValue config in values)
            {
                WriteNumber(config, writer);
            }

            // No numeric config (or none parsed): EndLine drops the line.
            writer.EndLine(gather.TimestampNs);
        }

        foreach (TopicInfo topic in gather.Topics)
        {
            if (!gather.OwnsTopic(topic))
            {
                continue;
            }

            foreach (ConfigValue config in configs.ReportedOf(topic.Name))
            {
                if (TopicConfigCatalog.KindOf(config.Key) == TopicConfigKind.Text && config.Value.Length > 0
                    && gather.Names.Allows(config.Key, "topic config key") && gather.Names.Allows(config.Value, "topic config value"))
                {
                    writer.BeginLine(Measurement);
                    writer.Tag(Config.Key, config.Key);
                    writer.Tag(MetricTags.Topic.Key, topic.Name);
                    writer.Tag(Value.Key, config.Value);
                    writer.Field(Info.Key, 1L);
                    writer.EndLine(gather.TimestampNs);
                }
            }
        }
    }

    private static void WriteNumber(ConfigValue config, LineProtocolWriter writer)
    {
        switch (TopicConfigCatalog.KindOf(config.Key))
        {
            case TopicConfigKind.Integer when TopicConfigCatalog.ParseInteger(config.Value) is { } number:
                writer.Field(TopicConfigCatalog.FieldKey(config.Key), number);
                break;
            case TopicConfigKind.Float when TopicConfigCatalog.ParseFloat(config.Value) is { } fraction:
                writer.Field(TopicConfigCatalog.FieldKey(config.Key), fraction);
                break;
        }
    }
}
