using System.Globalization;
using System.Text.Json.Serialization;
using KafkaExecdInput.Configuration;
using KafkaExecdInput.Sharding;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// Everything the worker needs to read Kafka, sent once over its stdin pipe right after it starts.
/// It carries secrets (passwords, tokens): that is why it travels over a pipe and never on the
/// command line, where any user could read it with ps.
/// </summary>
internal sealed record ReaderSettings(
    IReadOnlyDictionary<string, string> ClientProperties,
    [property: JsonConverter(typeof(NameFilterAsPatterns))] NameFilter Topics,
    [property: JsonConverter(typeof(NameFilterAsPatterns))] NameFilter Groups,
    TimeSpan RequestTimeout,
    int MaxConcurrentRequests,
    string? StaticOAuthToken,
    LogLevel LogLevel,
    bool ReadRecordTimestamps = false,
    Shard? Shard = null)
{
    /// <summary>What the worker needs of a loaded configuration and the client properties built from it.</summary>
    public static ReaderSettings For(PluginConfig config, LibrdkafkaSettings client) => new(
        client.Properties,
        config.TopicFilter,
        config.GroupFilter,
        config.RequestTimeout,
        config.MaxConcurrentRequests,
        client.StaticOAuthToken,
        config.LogLevel,
        config.Get(Options.LagSecondsExact),
        Sharding.Shard.Of(config));

    /// <summary>This agent's share of the cluster (README, Sharding): everything unless a shard option is set.</summary>
    [JsonIgnore]
    public Shard ShardOrWhole => Shard ?? Sharding.Shard.Whole;

    /// <summary>Slack between a request's network timeout and its admin call's own timeout.</summary>
    private static readonly TimeSpan AdminCallMargin = TimeSpan.FromSeconds(1);

    /// <summary>librdkafka's per-request network timeout (socket.timeout.ms), derived from request_timeout.</summary>
    [JsonIgnore]
    public TimeSpan SocketTimeout =>
        ClientProperties.TryGetValue("socket.timeout.ms", out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var milliseconds)
            ? TimeSpan.FromMilliseconds(milliseconds)
            : RequestTimeout;

    /// <summary>
    /// The timeout of every asynchronous admin call: a margin longer than the network timeout of
    /// its requests, so a slow broker's request always fails at the network layer first
    /// (Kafka/README.md, crash fact `late-response-abort`).
    /// </summary>
    [JsonIgnore]
    public TimeSpan AdminCallTimeout => SocketTimeout + AdminCallMargin;
}
