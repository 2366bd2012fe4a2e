namespace KafkaExecdInput.Configuration;

/// <summary>TLS towards the brokers. File paths are absolute.</summary>
internal sealed record TlsSettings(
    bool Enabled,
    string? CaPath = null,
    string? CertificatePath = null,
    string? KeyPath = null,
    Secret? KeyPassword = null,
    bool InsecureSkipVerify = false)
{
    public static TlsSettings Disabled { get; } = new(Enabled: false);
}

/// <summary>SASL authentication.</summary>
internal sealed record SaslSettings(SaslMechanism Mechanism, string? Username = null, Secret? Password = null)
{
    public static SaslSettings None { get; } = new(SaslMechanism.None);

    public KerberosSettings Kerberos { get; init; } = KerberosSettings.Default;

    public OAuthBearerSettings OAuthBearer { get; init; } = OAuthBearerSettings.None;
}

/// <summary>
/// GSSAPI settings, named as in Telegraf's kafka plugins. librdkafka authenticates from the keytab
/// (or the ticket cache); the Kerberos config file cannot be a librdkafka property, so it reaches
/// the client process as the KRB5_CONFIG environment variable.
/// </summary>
internal sealed record KerberosSettings(
    string ServiceName,
    string? KeytabPath = null,
    string? ConfigPath = null,
    string? Realm = null)
{
    public static KerberosSettings Default { get; } = new(Options.SaslGssapiServiceName.Default!);
}

/// <summary>
/// OAUTHBEARER: either a static access token, which the client hands to librdkafka itself, or
/// OIDC client credentials, which librdkafka exchanges for tokens at the endpoint.
/// </summary>
internal sealed record OAuthBearerSettings(
    Secret? AccessToken = null,
    string? ClientId = null,
    Secret? ClientSecret = null,
    string? TokenEndpointUrl = null,
    string? Scope = null)
{
    public static OAuthBearerSettings None { get; } = new();

    public bool UsesOidc => TokenEndpointUrl is not null;
}

internal enum SaslMechanism
{
    None,
    Plain,
    ScramSha256,
    ScramSha512,
    Gssapi,
    OAuthBearer,
}

/// <summary>The mechanism names as written in the config (case-insensitively) and sent to librdkafka's sasl.mechanisms.</summary>
internal static class SaslMechanismNames
{
    public static readonly (string Name, SaslMechanism Mechanism)[] All =
    [
        ("PLAIN", SaslMechanism.Plain),
        ("SCRAM-SHA-256", SaslMechanism.ScramSha256),
        ("SCRAM-SHA-512", SaslMechanism.ScramSha512),
        ("GSSAPI", SaslMechanism.Gssapi),
        ("OAUTHBEARER", SaslMechanism.OAuthBearer),
    ];

    public static string ToName(SaslMechanism mechanism) =>
        All.FirstOrDefault(n => n.Mechanism == mechanism).Name
        ?? throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "No SASL mechanism has this value.");
}
