using Confluent.Kafka;

namespace KafkaTestCluster.Tests.Infrastructure;

/// <summary>
/// Where a scenario runs: a fresh <see cref="TestCluster"/>, or the real PLAINTEXT cluster named by
/// KAFKA_BOOTSTRAP_SERVERS. Scenarios use only public Kafka APIs and unique names, so both agree.
/// </summary>
internal sealed class ScenarioTarget : IDisposable
{
    private ScenarioTarget(string bootstrapServers, TestCluster? cluster)
    {
        BootstrapServers = bootstrapServers;
        Cluster = cluster;
    }

    public string BootstrapServers { get; }

    /// <summary>null when running against a real cluster.</summary>
    public TestCluster? Cluster { get; }

    public static ScenarioTarget Create()
    {
        var real = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS");
        if (!string.IsNullOrWhiteSpace(real))
        {
            return new ScenarioTarget(real, null);
        }

        var cluster = TestCluster.Start();
        return new ScenarioTarget(cluster.BootstrapServers, cluster);
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers, SocketTimeoutMs = 10_000 }).Build();

    public IProducer<string?, string> Producer(Acks acks, bool idempotent = false) =>
        new ProducerBuilder<string?, string>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            Acks = acks,
            EnableIdempotence = idempotent,
            LingerMs = 0,
            MessageTimeoutMs = 10_000,
        }).Build();

    public IConsumer<string?, string> Consumer() =>
        new ConsumerBuilder<string?, string>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = UniqueName("reader"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();

    public void Dispose() => Cluster?.Dispose();
}
