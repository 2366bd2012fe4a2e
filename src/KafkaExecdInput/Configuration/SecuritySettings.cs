using System.Text;

namespace KafkaExecdInput.Configuration;

/// <summary>TLS towards the brokers. File paths are absolute; the key password is a secret.</summary>
internal sealed record TlsSettings(
    bool Enabled,
    string? CaPath = null,
    string? CertificatePath = null,
    string? KeyPath = null,
    string? KeyPassword = null,
    bool InsecureSkipVerify = false)
{
    public static TlsSettings Disabled { get; } = new(Enabled: false);

    // Records print every member; a config logged at debug level must not show the password.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Enabled = ").Append(Enabled)
            .Append(", CaPath = ").Append(CaPath)
            .Append(", CertificatePath = ").Append(CertificatePath)
            .Append(", KeyPath = ").Append(KeyPath)
            .Append(", KeyPassword = ").Append(Secret.Show(KeyPassword))
            .Append(", InsecureSkipVerify = ").Append(InsecureSkipVerify);
        return true;
    }
}

/// <summary>SASL authentication. Password and tokens are secrets.</summary>
internal sealed record SaslSettings(SaslMechanism Mechanism, string? Username = null, string? Password = null)
{
    public static SaslSettings None { get; } = new(SaslMechanism.None);

    public KerberosSettings Kerberos { get; init; } = KerberosSettings.Default;

    public OAuthBearerSettings OAuthBearer { get; init; } = OAuthBearerSettings.None;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Mechanism = ").Append(Mechanism)
            .Append(", Username = ").Append(Username)
            .Append(", Password = ").Append(Secret.Show(Password))
            .Append(", Kerberos = ").Append(Kerberos)
            .Append(", OAuthBearer = ").Append(OAuthBearer);
        return true;
    }
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
    public static KerberosSettings Default { get; } = new(PluginDefaults.GssapiServiceName);
}

/// <summary>
/// OAUTHBEARER: either a static access token, which the client hands to librdkafka itself, or
/// OIDC client credentials, which librdkafka exchanges for tokens at the endpoint.
/// </summary>
internal sealed record OAuthBearerSettings(
    string? AccessToken = null,
    string? ClientId = null,
    string? ClientSecret = null,
    string? TokenEndpointUrl = null,
    string? Scope = null)
{
    public static OAuthBearerSettings None { get; } = new();

    public bool UsesOidc => TokenEndpointUrl is not null;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccessToken = ").Append(Secret.Show(AccessToken))
            .Append(", ClientId = ").Append(ClientId)
            .Append(", ClientSecret = ").Append(Secret.Show(ClientSecret))
            .Append(", TokenEndpointUrl = ").Append(TokenEndpointUrl)
            .Append(", Scope = ").Append(Scope);
        return true;
    }
}
