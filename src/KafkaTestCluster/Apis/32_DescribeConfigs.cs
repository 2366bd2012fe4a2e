using System.Globalization;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// DescribeConfigs (32) for topics and brokers. Topic overrides (from CreateTopics or the state API) are
/// reported as DYNAMIC_TOPIC_CONFIG, everything else as Kafka's defaults. A broker resource must name the
/// receiving broker (or be empty), as Kafka requires.
/// </summary>
internal sealed class DescribeConfigsApi : ApiHandler
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    public override ApiKey Key => ApiKey.DescribeConfigs;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    public override short FlexibleFrom => 4;

    private sealed record Resource(sbyte Type, string Name, string[]? Keys);

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var count = request.ReadArrayLength();
        var resources = new List<Resource>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var type = request.ReadInt8();
            var name = request.ReadString();
            var keys = request.ReadNullableStringArray();
            request.SkipTaggedFields();
            resources.Add(new Resource(type, name, keys));
        }

        var includeSynonyms = version >= 1 && request.ReadBool();
        var includeDocumentation = version >= 3 && request.ReadBool();
        request.SkipTaggedFields();

        response.WriteInt32(0); // throttle time
        response.WriteArrayLength(resources.Count);
        var cluster = context.Cluster;
        lock (cluster.Sync)
        {
            foreach (var resource in resources)
            {
                var (error, message, entries) = Describe(context, resource, includeSynonyms, includeDocumentation);
                response.WriteInt16(error);
                response.WriteNullableString(message);
                response.WriteInt8(resource.Type);
                response.WriteString(resource.Name);
                response.WriteArrayLength(entries.Count);
                foreach (var entry in entries)
                {
                    WriteEntry(response, version, entry);
                }

                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private static (short Error, string? Message, List<ConfigEntry> Entries) Describe(RequestContext context, Resource resource,
        bool includeSynonyms, bool includeDocumentation)
    {
        if (context.InjectedError != ErrorCodes.None)
        {
            return (context.InjectedError, ErrorCodes.DefaultMessage(context.InjectedError), []);
        }

        List<ConfigEntry> entries;
        switch (resource.Type)
        {
            case TopicResource:
                var topic = context.Cluster.FindTopicLocked(resource.Name);
                if (topic is null)
                {
                    return (ErrorCodes.UnknownTopicOrPartition, $"The topic '{resource.Name}' does not exist.", []);
                }

                entries = ConfigCatalog.DescribeTopic(topic.ConfigOverrides, includeSynonyms, includeDocumentation);
                break;
            case BrokerResource:
                var id = context.Broker.Id.ToString(CultureInfo.InvariantCulture);
                if (resource.Name.Length > 0 && resource.Name != id)
                {
                    return (ErrorCodes.InvalidRequest, $"Unexpected broker id, expected {id} or empty string, but received {resource.Name}", []);
                }

                entries = ConfigCatalog.DescribeBroker(context.Broker, context.Cluster, includeSynonyms, includeDocumentation);
                break;
            default:
                return (ErrorCodes.InvalidRequest, $"Unsupported resource type {resource.Type}", []);
        }

        if (resource.Keys is { } keys)
        {
            entries = entries.Where(e => keys.Contains(e.Name)).ToList();
        }

        return (ErrorCodes.None, null, entries);
    }

    private static void WriteEntry(KafkaWriter response, short version, ConfigEntry entry)
    {
        response.WriteString(entry.Name);
        response.WriteNullableString(entry.Sensitive ? null : entry.Value);
        response.WriteBool(entry.ReadOnly);
        if (version == 0)
        {
            response.WriteBool(entry.Source == ConfigSource.DefaultConfig);
        }
        else
        {
            response.WriteInt8((sbyte)entry.Source);
        }

        response.WriteBool(entry.Sensitive);
        if (version >= 1)
        {
            response.WriteArrayLength(entry.Synonyms.Count);
            foreach (var (name, value, source) in entry.Synonyms)
            {
                response.WriteString(name);
                response.WriteNullableString(value);
                response.WriteInt8((sbyte)source);
                response.WriteEmptyTaggedFields();
            }
        }

        if (version >= 3)
        {
            response.WriteInt8((sbyte)entry.Type);
            response.WriteNullableString(entry.Documentation);
        }

        response.WriteEmptyTaggedFields();
    }
}
