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
        Assert.Equal(PluginDefaults.MaxConcurrentRequests, config.MaxConcurrentRequests);
    }

    [Fact]
    public void Refuses_values_that_cannot_be_right_on_their_own()
    {
        PluginConfig config = PluginConfig.ForBrokers("k:1");

        Assert.Throws<ArgumentException>(() => PluginConfig.ForBrokers());
        Assert.Throws<ArgumentException>(() => PluginConfig.ForBrokers("no-port"));
        Assert.Throws<ArgumentOutOfRangeException>(() => config with { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => config with { Interval = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => config with { MaxConcurrentRequests = 0 });
        Assert.ThrowsAny<ArgumentException>(() => config with { ClientId = " " });
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
        Assert.Contains("Username = user", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("key-password-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("sasl-password-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("access-token-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-value", printed, StringComparison.Ordinal);
    }
}
