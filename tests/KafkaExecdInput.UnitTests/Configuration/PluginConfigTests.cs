using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

public sealed class PluginConfigTests
{
    [Fact]
    public void Code_can_build_a_config_without_a_file()
    {
        PluginConfig config = PluginConfig.ForBrokers("127.0.0.1:39092") with
        {
            Timeout = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(1),
            TopicFilter = NameFilter.FromPatterns([], ["^__"]),
        };

        Assert.Equal(["127.0.0.1:39092"], config.Brokers);
        Assert.Equal(TimeSpan.FromSeconds(3), config.Timeout);
        Assert.False(config.TopicFilter.IsIncluded("__consumer_offsets"));
        Assert.Equal(Options.MaxConcurrentRequests.Default, config.MaxConcurrentRequests);
    }

    [Fact]
    public void Refuses_values_set_in_code_by_the_rules_the_file_obeys()
    {
        PluginConfig config = PluginConfig.ForBrokers("k:1");

        Assert.Equal("inputs.kafka.brokers: must list at least one broker, e.g. [\"kafka1:9092\"] (Parameter 'value')",
            Assert.Throws<ArgumentException>(() => PluginConfig.ForBrokers()).Message);
        Assert.Throws<ArgumentException>(() => PluginConfig.ForBrokers("no-port"));
        Assert.Throws<ArgumentException>(() => config with { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentException>(() => config with { Interval = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentException>(() => config with { MaxConcurrentRequests = 0 });
        Assert.Throws<ArgumentException>(() => config with { ClientId = " " });
        Assert.Throws<ArgumentException>(() => config.With(Options.RequestTimeout, TimeSpan.FromHours(25)));
    }

    [Fact]
    public void Any_declared_option_can_be_read_and_set_by_its_declaration()
    {
        PluginConfig config = PluginConfig.ForBrokers("k:1").With(Options.Interval, TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), config.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Get(Options.Interval));
        Assert.Equal(Options.Timeout.Default, config.Get(Options.Timeout));
        Assert.NotEqual(PluginConfig.ForBrokers("k:1"), config);
        Assert.Equal(PluginConfig.ForBrokers("k:1") with { Interval = TimeSpan.FromSeconds(30) }, config);
    }

    [Fact]
    public void Equality_compares_contents()
    {
        PluginConfig a = PluginConfig.ForBrokers("k:1") with { Librdkafka = new Dictionary<string, string> { ["x"] = "1" } };
        PluginConfig b = PluginConfig.ForBrokers(new List<string> { "k:1" }) with { Librdkafka = new Dictionary<string, string> { ["x"] = "1" } };

        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Librdkafka = new Dictionary<string, string> { ["x"] = "2" } });
        Assert.NotEqual(a, b with { GroupFilter = NameFilter.FromPatterns(["g"], []) });
    }

    [Fact]
    public void Printing_a_config_never_shows_secrets()
    {
        PluginConfig config = PluginConfig.ForBrokers("k:1") with
        {
            Tls = new TlsSettings(true, KeyPath: "/k", KeyPassword: "key-password-value"),
            Sasl = new SaslSettings(SaslMechanism.OAuthBearer, "user", "sasl-password-value")
            {
                OAuthBearer = new OAuthBearerSettings("access-token-value", "client", "client-secret-value", "https://idp/token"),
            },
        };

        string printed = config.ToString();

        Assert.Contains("KeyPassword = (redacted)", printed, StringComparison.Ordinal);
        Assert.Contains("Password = (redacted)", printed, StringComparison.Ordinal);
        Assert.Contains("Username = user", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("key-password-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("sasl-password-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("access-token-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-value", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls_key_pwd", true)]
    [InlineData("sasl_password", true)]
    [InlineData("sasl_access_token", true)]
    [InlineData("sasl_oauthbearer_client_secret", true)]
    [InlineData("ssl.keystore.password", true)]
    [InlineData("sasl.oauthbearer.config", true)]
    [InlineData("ssl.key.location", true)]
    [InlineData("sasl_username", false)]
    [InlineData("client_id", false)]
    [InlineData("debug", false)]
    public void Secrets_are_the_declared_ones_and_properties_named_like_credentials(string key, bool secret)
    {
        Assert.Equal(secret, Secret.IsSecretKey(key));
    }

    [Fact]
    public void The_options_declared_secret_are_the_credentials()
    {
        Assert.Equal(
            ["tls_key_pwd", "sasl_password", "sasl_access_token", "sasl_oauthbearer_client_secret"],
            Options.All.Where(o => o.IsSecret).Select(o => o.Key));
    }
}
