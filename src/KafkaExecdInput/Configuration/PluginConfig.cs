using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// The plugin's settings, typed and validated. Built by <see cref="ConfigLoader"/> from the TOML
/// file, or in code with <see cref="ForBrokers"/> and <c>with</c> (demo mode, tests).
/// </summary>
/// <remarks>
/// Each property checks its own value when set; rules that span properties (request_timeout within
/// timeout, SASL keys matching the mechanism, files that exist) are the loader's, because only it
/// can point at the line that broke them. Equality compares contents, lists and maps included.
/// </remarks>
internal sealed record PluginConfig
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    private readonly IReadOnlyList<string> _brokers = [];
    private readonly string _clientId = PluginDefaults.ClientId;
    private readonly TimeSpan _timeout = PluginDefaults.Timeout;
    private readonly TimeSpan _requestTimeout = PluginDefaults.RequestTimeout;
    private readonly TimeSpan? _interval;
    private readonly int _maxConcurrentRequests = PluginDefaults.MaxConcurrentRequests;

    /// <summary>Bootstrap brokers as "host:port" (IPv6 literals in brackets); never empty.</summary>
    public required IReadOnlyList<string> Brokers
    {
        get => _brokers;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                throw new ArgumentException("At least one broker is required.", nameof(value));
            }

            foreach (string broker in value)
            {
                if (!BrokerAddress.TryValidate(broker, out string? problem))
                {
                    throw new ArgumentException($"'{broker}' {problem}.", nameof(value));
                }
            }

            _brokers = [.. value];
        }
    }

    public string ClientId
    {
        get => _clientId;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _clientId = value;
        }
    }

    public TlsSettings Tls { get; init; } = TlsSettings.Disabled;

    public SaslSettings Sasl { get; init; } = SaslSettings.None;

    public NameFilter TopicFilter { get; init; } = NameFilter.IncludeAll;

    public NameFilter GroupFilter { get; init; } = NameFilter.IncludeAll;

    /// <summary>Deadline for a whole gather.</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        init => _timeout = CheckDuration(value);
    }

    /// <summary>Deadline for one Kafka request.</summary>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        init => _requestTimeout = CheckDuration(value);
    }

    /// <summary>When set, the plugin gathers on its own clock instead of waiting for Telegraf's newline.</summary>
    public TimeSpan? Interval
    {
        get => _interval;
        init => _interval = value is { } interval ? CheckDuration(interval) : null;
    }

    public int MaxConcurrentRequests
    {
        get => _maxConcurrentRequests;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, PluginDefaults.MaxConcurrentRequestsLimit);
            _maxConcurrentRequests = value;
        }
    }

    public LogLevel LogLevel { get; init; } = PluginDefaults.LogLevel;

    /// <summary>
    /// Extra librdkafka properties from [inputs.kafka.librdkafka], values already in librdkafka's
    /// string form. They override the plugin's own settings (see <see cref="LibrdkafkaSettings"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Librdkafka { get; init; } = NoProperties;

    /// <summary>A configuration with every default and the given bootstrap brokers.</summary>
    public static PluginConfig ForBrokers(params IEnumerable<string> brokers) => new() { Brokers = [.. brokers] };

    public bool Equals(PluginConfig? other) =>
        other is not null
        && Brokers.SequenceEqual(other.Brokers, StringComparer.Ordinal)
        && ClientId == other.ClientId
        && Tls == other.Tls
        && Sasl == other.Sasl
        && TopicFilter.Equals(other.TopicFilter)
        && GroupFilter.Equals(other.GroupFilter)
        && Timeout == other.Timeout
        && RequestTimeout == other.RequestTimeout
        && Interval == other.Interval
        && MaxConcurrentRequests == other.MaxConcurrentRequests
        && LogLevel == other.LogLevel
        && Librdkafka.Count == other.Librdkafka.Count
        && Librdkafka.All(p => other.Librdkafka.TryGetValue(p.Key, out string? value) && value == p.Value);

    public override int GetHashCode() =>
        HashCode.Combine(Brokers.Count > 0 ? Brokers[0] : null, ClientId, Tls, Sasl, Timeout, RequestTimeout, MaxConcurrentRequests, LogLevel);

    private static TimeSpan CheckDuration(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, PluginDefaults.MinDuration);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, PluginDefaults.MaxDuration);
        return value;
    }
}
