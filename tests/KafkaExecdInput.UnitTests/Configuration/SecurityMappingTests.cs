using KafkaExecdInput.Configuration;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.UnitTests.Configuration;

/// <summary>
/// GSSAPI and OAUTHBEARER from the file to the client's configuration, the way a user writes them:
/// relative paths, secrets from the environment, TLS on top. (The test cluster speaks neither
/// mechanism, so this mapping is where they are proven; LibrdkafkaSettingsTests covers Build alone.)
/// </summary>
public sealed class SecurityMappingTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Gssapi_from_a_file_maps_relative_paths_realm_default_service_name_and_tls()
    {
        string keytab = _dir.AddFile("monitor.keytab");
        string krb5 = _dir.AddFile("krb5.conf");
        string ca = _dir.AddFile("ca.pem");

        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(_dir.Load("""
            [[inputs.kafka]]
              brokers = ["kafka1:9093"]
              tls_ca = "ca.pem"
              sasl_mechanism = "GSSAPI"
              sasl_username = "monitor"
              sasl_gssapi_realm = "EXAMPLE.COM"
              sasl_gssapi_key_tab_path = "monitor.keytab"
              sasl_gssapi_kerberos_config_path = "krb5.conf"
            """));

        Assert.Equal("SASL_SSL", settings.Properties["security.protocol"]);
        Assert.Equal("GSSAPI", settings.Properties["sasl.mechanisms"]);
        Assert.Equal("kafka", settings.Properties["sasl.kerberos.service.name"]);
        Assert.Equal("monitor@EXAMPLE.COM", settings.Properties["sasl.kerberos.principal"]);
        Assert.Equal(keytab, settings.Properties["sasl.kerberos.keytab"]);
        Assert.Equal(ca, settings.Properties["ssl.ca.location"]);
        // librdkafka has no property for the Kerberos configuration: the worker process gets it as KRB5_CONFIG.
        Assert.Equal(new Dictionary<string, string> { ["KRB5_CONFIG"] = krb5 }, settings.Environment);
        Assert.DoesNotContain(settings.Properties.Keys, k => k is "sasl.username" or "sasl.password");
    }

    [Fact]
    public void Gssapi_with_the_ticket_cache_needs_no_keytab_and_sets_no_principal()
    {
        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(_dir.Load("""
            [[inputs.kafka]]
              brokers = ["kafka1:9092"]
              sasl_mechanism = "GSSAPI"
              sasl_gssapi_service_name = "kafka-prod"
            """));

        Assert.Equal("SASL_PLAINTEXT", settings.Properties["security.protocol"]);
        Assert.Equal("kafka-prod", settings.Properties["sasl.kerberos.service.name"]);
        Assert.False(settings.Properties.ContainsKey("sasl.kerberos.keytab"));
        Assert.False(settings.Properties.ContainsKey("sasl.kerberos.principal"));
        Assert.Empty(settings.Environment);
    }

    [Fact]
    public void A_static_oauthbearer_token_from_the_environment_reaches_the_client_only_through_its_callback()
    {
        const string token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtb25pdG9yIn0.";

        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(_dir.Load("""
            [[inputs.kafka]]
              brokers = ["kafka1:9093"]
              enable_tls = true
              sasl_mechanism = "OAUTHBEARER"
              sasl_access_token = "${KAFKA_TOKEN}"
            """, new Dictionary<string, string> { ["KAFKA_TOKEN"] = token }));

        Assert.Equal(token, settings.StaticOAuthToken);
        Assert.Equal("SASL_SSL", settings.Properties["security.protocol"]);
        Assert.Equal("OAUTHBEARER", settings.Properties["sasl.mechanisms"]);
        Assert.False(settings.Properties.ContainsKey("sasl.oauthbearer.method"));
        Assert.DoesNotContain(settings.Properties.Values, v => v.Contains("eyJ", StringComparison.Ordinal));
    }

    [Fact]
    public void Oauthbearer_oidc_from_a_file_maps_credentials_and_leaves_an_unset_scope_out()
    {
        LibrdkafkaSettings settings = LibrdkafkaSettings.Build(_dir.Load("""
            [[inputs.kafka]]
              brokers = ["kafka1:9092"]
              sasl_mechanism = "OAUTHBEARER"
              sasl_oauthbearer_client_id = "kafka-monitor"
              sasl_oauthbearer_client_secret = "$OIDC_SECRET"
              sasl_oauthbearer_token_endpoint_url = "https://idp.example.com/oauth2/token"
            """, new Dictionary<string, string> { ["OIDC_SECRET"] = "oidc-s3cret" }));

        Assert.Equal("SASL_PLAINTEXT", settings.Properties["security.protocol"]);
        Assert.Equal("oidc", settings.Properties["sasl.oauthbearer.method"]);
        Assert.Equal("kafka-monitor", settings.Properties["sasl.oauthbearer.client.id"]);
        Assert.Equal("oidc-s3cret", settings.Properties["sasl.oauthbearer.client.secret"]);
        Assert.Equal("https://idp.example.com/oauth2/token", settings.Properties["sasl.oauthbearer.token.endpoint.url"]);
        Assert.False(settings.Properties.ContainsKey("sasl.oauthbearer.scope"));
        Assert.Null(settings.StaticOAuthToken);
    }

    [Fact]
    public void Tls_verification_is_on_unless_insecure_skip_verify_is_written()
    {
        var verified = LibrdkafkaSettings.Build(_dir.Load("[[inputs.kafka]]\n  brokers = [\"k:1\"]\n  enable_tls = true\n")).Properties;
        var skipped = LibrdkafkaSettings.Build(_dir.Load("[[inputs.kafka]]\n  brokers = [\"k:1\"]\n  insecure_skip_verify = true\n")).Properties;

        Assert.Equal("true", verified["enable.ssl.certificate.verification"]);
        Assert.Equal("https", verified["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("SSL", skipped["security.protocol"]);
        Assert.Equal("false", skipped["enable.ssl.certificate.verification"]);
        Assert.Equal("none", skipped["ssl.endpoint.identification.algorithm"]);
    }
}
