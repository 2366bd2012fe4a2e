using Confluent.Kafka;

namespace KafkaTestCluster.Tests.Infrastructure;

/// <summary>Confluent clients configured for a <see cref="TestCluster"/> (security included) with short timeouts.</summary>
internal static class Clients
{
    public static T Configure<T>(T config, TestCluster cluster) where T : ClientConfig
    {
        config.BootstrapServers = cluster.BootstrapServers;
        config.SocketTimeoutMs = 10_000;
        // The cluster is local: reconnect fast after broker-down faults.
        config.ReconnectBackoffMs = 20;
        config.ReconnectBackoffMaxMs = 200;
        if (cluster.Tls is { } tls)
        {
            config.SslCaLocation = tls.CaPemPath;
        }

        config.Set("security.protocol", cluster.SecurityProtocol.ToLowerInvariant());
        return config;
    }

    public static IAdminClient Admin(TestCluster cluster, Action<AdminClientConfig>? tweak = null)
    {
        var config = Configure(new AdminClientConfig(), cluster);
        tweak?.Invoke(config);
        return new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
    }

    public static IProducer<string?, string> Producer(TestCluster cluster, Acks acks, Action<ProducerConfig>? tweak = null)
    {
        var config = Configure(new ProducerConfig { Acks = acks, LingerMs = 0, MessageTimeoutMs = 10_000 }, cluster);
        tweak?.Invoke(config);
        return new ProducerBuilder<string?, string>(config).SetLogHandler((_, _) => { }).Build();
    }

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
}
