using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// The plugin's settings, checked. Built by <see cref="ConfigLoader"/> from the TOML file, or in code
/// with <see cref="ForBrokers"/> and <c>with</c> (demo mode, tests).
/// </summary>
/// <remarks>
/// Every declared option's value is here: read it with <see cref="Get"/> (the properties below are
/// the same values, by name). A value set in code passes the same rule as one from the file. What
/// several options make together (TLS, SASL, the filters, the passthrough properties) is assembled
/// by <see cref="PluginConfigAssembler"/>. Equality compares contents, lists and maps included.
/// </remarks>
internal sealed record PluginConfig
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    // Immutable, so a copy made by `with` can replace it without touching the original.
    private ImmutableDictionary<OptionDeclaration, object?> _values = ImmutableDictionary<OptionDeclaration, object?>.Empty;

    public PluginConfig()
    {
    }

    /// <summary>The values read from the file, already checked.</summary>
    [SetsRequiredMembers]
    internal PluginConfig(IReadOnlyDictionary<OptionDeclaration, object> values)
    {
        _values = values.ToImmutableDictionary(p => p.Key, p => (object?)p.Value);
        Brokers = Get(Options.Brokers);
    }

    /// <summary>Bootstrap brokers as "host:port" (IPv6 literals in brackets); never empty.</summary>
    public required IReadOnlyList<string> Brokers { get => Get(Options.Brokers); init => Put(Options.Brokers, value); }

    public string ClientId { get => Get(Options.ClientId)!; init => Put(Options.ClientId, value); }

    public TlsSettings Tls { get; init; } = TlsSettings.Disabled;

    public SaslSettings Sasl { get; init; } = SaslSettings.None;

    public NameFilter TopicFilter { get; init; } = NameFilter.IncludeAll;

    public NameFilter GroupFilter { get; init; } = NameFilter.IncludeAll;

    /// <summary>Deadline for a whole gather.</summary>
    public TimeSpan Timeout { get => Get(Options.Timeout); init => Put(Options.Timeout, value); }

    /// <summary>Deadline for one Kafka request.</summary>
    public TimeSpan RequestTimeout { get => Get(Options.RequestTimeout); init => Put(Options.RequestTimeout, value); }

    /// <summary>When set, the plugin gathers on its own clock instead of waiting for Telegraf's newline.</summary>
    public TimeSpan? Interval { get => Get(Options.Interval); init => Put(Options.Interval, value); }

    public int MaxConcurrentRequests { get => Get(Options.MaxConcurrentRequests); init => Put(Options.MaxConcurrentRequests, value); }

    public LogLevel LogLevel { get => Get(Options.LogLevel); init => Put(Options.LogLevel, value); }

    /// <summary>
    /// Extra librdkafka properties from [inputs.kafka.librdkafka], values already in librdkafka's
    /// string form. They override the plugin's own settings (see <see cref="LibrdkafkaSettings"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Librdkafka { get; init; } = NoProperties;

    /// <summary>A configuration with every default and the given bootstrap brokers.</summary>
    public static PluginConfig ForBrokers(params IEnumerable<string> brokers) => new() { Brokers = [.. brokers] };

    /// <summary>The option's value: as set in the file or in code, else its default.</summary>
    public T Get<T>(Option<T> option) => _values.TryGetValue(option, out object? value) ? (T)value! : option.Default;

    /// <summary>This configuration with one option set in code (checked by the option's rule).</summary>
    public PluginConfig With<T>(Option<T> option, T value)
    {
        PluginConfig copy = this with { };
        copy.Put(option, value);
        return copy;
    }

    public bool Equals(PluginConfig? other) =>
        other is not null
        && Options.All.All(option => option.ValuesEqual(ValueOf(option), other.ValueOf(option)))
        && Tls == other.Tls
        && Sasl == other.Sasl
        && TopicFilter.Equals(other.TopicFilter)
        && GroupFilter.Equals(other.GroupFilter)
        && Librdkafka.Count == other.Librdkafka.Count
        && Librdkafka.All(p => other.Librdkafka.TryGetValue(p.Key, out string? value) && value == p.Value);

    public override int GetHashCode() => HashCode.Combine(Brokers.Count > 0 ? Brokers[0] : null, ClientId, Tls, Sasl, Timeout, RequestTimeout, LogLevel);

    private object? ValueOf(OptionDeclaration option) => _values.TryGetValue(option, out object? value) ? value : option.BoxedDefault;

    private void Put<T>(Option<T> option, T value) => _values = _values.SetItem(option, option.Require(value));
}
