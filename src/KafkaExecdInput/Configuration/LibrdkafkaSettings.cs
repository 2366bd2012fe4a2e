using System.Globalization;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// What the worker needs to build its AdminClient: librdkafka properties derived from a
/// <see cref="PluginConfig"/>, plus the two things that cannot be properties — environment
/// variables for the worker process (KRB5_CONFIG) and a static OAuth token, which the client must
/// hand to librdkafka from its token-refresh callback.
/// </summary>
/// <remarks>A class, not a record: a record would print the token.</remarks>
internal sealed class LibrdkafkaSettings(
    IReadOnlyDictionary<string, string> properties,
    IReadOnlyList<string> overriddenKeys,
    IReadOnlyDictionary<string, string> environment,
    string? staticOAuthToken)
{
    /// <summary>The AdminClient configuration, passthrough properties applied last.</summary>
    public IReadOnlyDictionary<string, string> Properties => properties;

    /// <summary>
    /// Properties the plugin sets itself that [inputs.kafka.librdkafka] replaced with a different
    /// value — worth a warning (names only: values may be secrets).
    /// </summary>
    public IReadOnlyList<string> OverriddenKeys => overriddenKeys;

    /// <summary>Environment variables the worker process must be started with.</summary>
    public IReadOnlyDictionary<string, string> Environment => environment;

    /// <summary>The sasl_access_token for OAUTHBEARER without OIDC; null otherwise.</summary>
    public string? StaticOAuthToken => staticOAuthToken;

    public static LibrdkafkaSettings Build(PluginConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = string.Join(",", config.Brokers),
            ["client.id"] = config.ClientId,
            ["security.protocol"] = SecurityProtocol(config),
            // The network timeout of each request; admin calls wait a little longer (ReaderSettings.AdminCallTimeout).
            ["socket.timeout.ms"] = ((long)config.RequestTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            // librdkafka leaves Nagle on: a request pipelined behind an unanswered one then waits one more
            // round trip (measured: tests/KafkaExecdInput.Benchmarks README, "nagle").
            ["socket.nagle.disable"] = "true",
        };
        AddTls(config.Tls, properties);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        AddSasl(config.Sasl, properties, environment);

        var overridden = new List<string>();
        foreach ((string key, string value) in config.Librdkafka)
        {
            if (properties.TryGetValue(key, out string? own) && own != value)
            {
                overridden.Add(key);
            }

            properties[key] = value;
        }

        string? token = config.Sasl.Mechanism == SaslMechanism.OAuthBearer ? config.Sasl.OAuthBearer.AccessToken?.Reveal() : null;
        return new LibrdkafkaSettings(properties, overridden, environment, token);
    }

    private static string SecurityProtocol(PluginConfig config) => (config.Tls.Enabled, config.Sasl.Mechanism != SaslMechanism.None) switch
    {
        (false, false) => "PLAINTEXT",
        (true, false) => "SSL",
        (false, true) => "SASL_PLAINTEXT",
        (true, true) => "SASL_SSL",
    };

    private static void AddTls(TlsSettings tls, Dictionary<string, string> properties)
    {
        if (!tls.Enabled)
        {
            return;
        }

        AddIfSet(properties, "ssl.ca.location", tls.CaPath);
        AddIfSet(properties, "ssl.certificate.location", tls.CertificatePath);
        AddIfSet(properties, "ssl.key.location", tls.KeyPath);
        AddIfSet(properties, "ssl.key.password", tls.KeyPassword?.Reveal());
        properties["enable.ssl.certificate.verification"] = tls.InsecureSkipVerify ? "false" : "true";
        properties["ssl.endpoint.identification.algorithm"] = tls.InsecureSkipVerify ? "none" : "https";
    }

    private static void AddSasl(SaslSettings sasl, Dictionary<string, string> properties, Dictionary<string, string> environment)
    {
        if (sasl.Mechanism == SaslMechanism.None)
        {
            return;
        }

        properties["sasl.mechanisms"] = SaslMechanismNames.ToName(sasl.Mechanism);
        switch (sasl.Mechanism)
        {
            case SaslMechanism.Plain or SaslMechanism.ScramSha256 or SaslMechanism.ScramSha512:
                AddIfSet(properties, "sasl.username", sasl.Username);
                AddIfSet(properties, "sasl.password", sasl.Password?.Reveal());
                break;
            case SaslMechanism.Gssapi:
                properties["sasl.kerberos.service.name"] = sasl.Kerberos.ServiceName;
                AddIfSet(properties, "sasl.kerberos.keytab", sasl.Kerberos.KeytabPath);
                AddIfSet(properties, "sasl.kerberos.principal", Principal(sasl.Username, sasl.Kerberos.Realm));
                if (sasl.Kerberos.ConfigPath is { } krb5Config)
                {
                    environment["KRB5_CONFIG"] = krb5Config;
                }

                break;
            case SaslMechanism.OAuthBearer when sasl.OAuthBearer.UsesOidc:
                properties["sasl.oauthbearer.method"] = "oidc";
                AddIfSet(properties, "sasl.oauthbearer.client.id", sasl.OAuthBearer.ClientId);
                AddIfSet(properties, "sasl.oauthbearer.client.secret", sasl.OAuthBearer.ClientSecret?.Reveal());
                AddIfSet(properties, "sasl.oauthbearer.token.endpoint.url", sasl.OAuthBearer.TokenEndpointUrl);
                AddIfSet(properties, "sasl.oauthbearer.scope", sasl.OAuthBearer.Scope);
                break;
        }
    }

    /// <summary>username@realm, unless the username already names its realm.</summary>
    private static string? Principal(string? username, string? realm) =>
        username is null ? null
        : realm is null || username.Contains('@', StringComparison.Ordinal) ? username
        : $"{username}@{realm}";

    private static void AddIfSet(Dictionary<string, string> properties, string key, string? value)
    {
        if (value is not null)
        {
            properties[key] = value;
        }
    }
}
