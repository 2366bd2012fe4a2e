using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

public sealed class LibrdkafkaSettingsTests
{
    private static readonly PluginConfig Base = PluginConfig.ForBrokers("kafka1:9092", "[::1]:9093");

    [Fact]
    public void Plaintext_by_default()
    {
        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(Base);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["bootstrap.servers"] = "kafka1:9092,[::1]:9093",
                ["client.id"] = "kafka-execd-input",
                ["security.protocol"] = "PLAINTEXT",
                ["socket.timeout.ms"] = "5000",
                ["socket.nagle.disable"] = "true",
            },
            settings.Properties);
        Assert.Empty(settings.OverriddenKeys);
        Assert.Empty(settings.Environment);
        Assert.Null(settings.StaticOAuthToken);
    }

    [Fact]
    public void Tls_maps_files_password_and_verification()
    {
        PluginConfig config = Base with { Tls = new TlsSettings(true, "/etc/ca.pem", "/etc/c.pem", "/etc/c.key", "kpw") };

        IReadOnlyDictionary<string, string> properties = LibrdkafkaSettings.Build(config).Properties;

        Assert.Equal("SSL", properties["security.protocol"]);
        Assert.Equal("/etc/ca.pem", properties["ssl.ca.location"]);
        Assert.Equal("/etc/c.pem", properties["ssl.certificate.location"]);
        Assert.Equal("/etc/c.key", properties["ssl.key.location"]);
        Assert.Equal("kpw", properties["ssl.key.password"]);
        Assert.Equal("true", properties["enable.ssl.certificate.verification"]);
        Assert.Equal("https", properties["ssl.endpoint.identification.algorithm"]);
    }

    [Fact]
    public void Insecure_skip_verify_turns_off_certificate_and_hostname_checks()
    {
        PluginConfig config = Base with { Tls = new TlsSettings(true, InsecureSkipVerify: true) };

        IReadOnlyDictionary<string, string> properties = LibrdkafkaSettings.Build(config).Properties;

        Assert.Equal("false", properties["enable.ssl.certificate.verification"]);
        Assert.Equal("none", properties["ssl.endpoint.identification.algorithm"]);
        Assert.False(properties.ContainsKey("ssl.ca.location"));
    }

    [Fact]
    public void Disabled_tls_sets_no_ssl_properties()
    {
        PluginConfig config = Base with { Tls = new TlsSettings(false, "/etc/ca.pem") };

        Assert.DoesNotContain(LibrdkafkaSettings.Build(config).Properties.Keys, k => k.StartsWith("ssl.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(SaslMechanism.Plain), false, "SASL_PLAINTEXT", "PLAIN")]
    [InlineData(nameof(SaslMechanism.ScramSha256), true, "SASL_SSL", "SCRAM-SHA-256")]
    [InlineData(nameof(SaslMechanism.ScramSha512), false, "SASL_PLAINTEXT", "SCRAM-SHA-512")]
    public void Username_and_password_mechanisms(string mechanism, bool tls, string protocol, string wireName)
    {
        PluginConfig config = Base with
        {
            Tls = tls ? new TlsSettings(true) : TlsSettings.Disabled,
            Sasl = new SaslSettings(Enum.Parse<SaslMechanism>(mechanism), "monitor", "pw"),
        };

        IReadOnlyDictionary<string, string> properties = LibrdkafkaSettings.Build(config).Properties;

        Assert.Equal(protocol, properties["security.protocol"]);
        Assert.Equal(wireName, properties["sasl.mechanisms"]);
        Assert.Equal("monitor", properties["sasl.username"]);
        Assert.Equal("pw", properties["sasl.password"]);
    }

    [Fact]
    public void Gssapi_maps_service_keytab_principal_with_realm_and_krb5_config_as_environment()
    {
        PluginConfig config = Base with
        {
            Sasl = new SaslSettings(SaslMechanism.Gssapi, "monitor")
            {
                Kerberos = new KerberosSettings("kafka-prod", "/etc/monitor.keytab", "/etc/krb5.conf", "EXAMPLE.COM"),
            },
        };

        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(config);

        Assert.Equal("SASL_PLAINTEXT", settings.Properties["security.protocol"]);
        Assert.Equal("GSSAPI", settings.Properties["sasl.mechanisms"]);
        Assert.Equal("kafka-prod", settings.Properties["sasl.kerberos.service.name"]);
        Assert.Equal("/etc/monitor.keytab", settings.Properties["sasl.kerberos.keytab"]);
        Assert.Equal("monitor@EXAMPLE.COM", settings.Properties["sasl.kerberos.principal"]);
        Assert.False(settings.Properties.ContainsKey("sasl.username"));
        Assert.Equal(new Dictionary<string, string> { ["KRB5_CONFIG"] = "/etc/krb5.conf" }, settings.Environment);
    }

    [Theory]
    [InlineData("monitor@OTHER.ORG", "EXAMPLE.COM", "monitor@OTHER.ORG")]
    [InlineData("monitor", null, "monitor")]
    [InlineData(null, null, null)]
    public void Gssapi_principal_is_the_username_with_the_realm_unless_it_has_one(string? username, string? realm, string? principal)
    {
        PluginConfig config = Base with
        {
            Sasl = new SaslSettings(SaslMechanism.Gssapi, username) { Kerberos = new KerberosSettings("kafka", Realm: realm) },
        };

        IReadOnlyDictionary<string, string> properties = LibrdkafkaSettings.Build(config).Properties;

        Assert.Equal(principal, properties.GetValueOrDefault("sasl.kerberos.principal"));
        Assert.Equal("kafka", properties["sasl.kerberos.service.name"]);
        Assert.False(properties.ContainsKey("sasl.kerberos.keytab"));
    }

    [Fact]
    public void Oauthbearer_oidc_maps_to_librdkafkas_oidc_method()
    {
        PluginConfig config = Base with
        {
            Tls = new TlsSettings(true),
            Sasl = new SaslSettings(SaslMechanism.OAuthBearer)
            {
                OAuthBearer = new OAuthBearerSettings(null, "monitor", "oidc-secret", "https://idp/token", "kafka.read"),
            },
        };

        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(config);

        Assert.Equal("SASL_SSL", settings.Properties["security.protocol"]);
        Assert.Equal("OAUTHBEARER", settings.Properties["sasl.mechanisms"]);
        Assert.Equal("oidc", settings.Properties["sasl.oauthbearer.method"]);
        Assert.Equal("monitor", settings.Properties["sasl.oauthbearer.client.id"]);
        Assert.Equal("oidc-secret", settings.Properties["sasl.oauthbearer.client.secret"]);
        Assert.Equal("https://idp/token", settings.Properties["sasl.oauthbearer.token.endpoint.url"]);
        Assert.Equal("kafka.read", settings.Properties["sasl.oauthbearer.scope"]);
        Assert.Null(settings.StaticOAuthToken);
    }

    [Fact]
    public void Oauthbearer_static_token_is_returned_separately_and_not_as_a_property()
    {
        PluginConfig config = Base with
        {
            Sasl = new SaslSettings(SaslMechanism.OAuthBearer) { OAuthBearer = new OAuthBearerSettings(AccessToken: "eyJ.static") },
        };

        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(config);

        Assert.Equal("eyJ.static", settings.StaticOAuthToken);
        Assert.Equal("OAUTHBEARER", settings.Properties["sasl.mechanisms"]);
        Assert.False(settings.Properties.ContainsKey("sasl.oauthbearer.method"));
        Assert.DoesNotContain("eyJ.static", settings.Properties.Values);
    }

    [Fact]
    public void Passthrough_wins_and_reports_which_own_settings_it_changed()
    {
        PluginConfig config = Base with
        {
            Librdkafka = new Dictionary<string, string>
            {
                ["client.id"] = "override",
                ["security.protocol"] = "PLAINTEXT",
                ["socket.timeout.ms"] = "30000",
            },
        };

        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(config);

        Assert.Equal("override", settings.Properties["client.id"]);
        Assert.Equal("30000", settings.Properties["socket.timeout.ms"]);
        Assert.Equal(["client.id", "socket.timeout.ms"], settings.OverriddenKeys);
    }

    [Fact]
    public void Request_timeout_becomes_the_network_timeout_of_each_request()
    {
        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(Base with { RequestTimeout = TimeSpan.FromMilliseconds(2500) });

        Assert.Equal("2500", settings.Properties["socket.timeout.ms"]);
    }
}
