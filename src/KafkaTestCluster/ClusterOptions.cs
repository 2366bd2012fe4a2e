namespace KafkaTestCluster;

/// <summary>How <see cref="TestCluster.Start"/> builds the cluster. Every property has a working default.</summary>
public sealed class ClusterOptions
{
    /// <summary>A fixed 22-character base64 id, as Kafka's cluster ids are.</summary>
    public const string DefaultClusterId = "TestClusterAAAAAAAAAAA";

    public int Brokers { get; init; } = 3;

    public int FirstBrokerId { get; init; } = 1;

    public string ClusterId { get; init; } = DefaultClusterId;

    /// <summary>Defaults to the first broker.</summary>
    public int? ControllerId { get; init; }

    /// <summary>One entry per broker (null = no rack); null = no racks at all.</summary>
    public IReadOnlyList<string?>? Racks { get; init; }

    /// <summary>One port per broker; null = ports assigned by the OS.</summary>
    public IReadOnlyList<int>? FixedPorts { get; init; }

    /// <summary>null = PLAINTEXT.</summary>
    public ClusterSecurity? Security { get; init; }

    /// <summary>The address brokers bind to and advertise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Partitions of a topic created with num_partitions = -1 or auto-created.</summary>
    public int DefaultPartitions { get; init; } = 1;

    /// <summary>Replication factor for replication_factor = -1; null = min(3, brokers).</summary>
    public int? DefaultReplicationFactor { get; init; }

    /// <summary>Metadata requests for unknown topics create them (Kafka's auto.create.topics.enable). Off by default.</summary>
    public bool AutoCreateTopics { get; init; }

    /// <summary>
    /// Timestamp of offset 0 for records that exist only through <see cref="TestCluster.SetWatermarks"/> or
    /// <see cref="TestCluster.AdvanceHighWatermark"/>: record i has timestamp base + i * step.
    /// </summary>
    public DateTimeOffset RecordTimestampBase { get; init; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TimeSpan RecordTimestampStep { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Serve and advertise ConsumerGroupDescribe (API 69), as Kafka 4 does (KIP-848 generally available). False
    /// answers like a Kafka 3.x broker without KIP-848: the API is not advertised, and a client that sends it
    /// anyway has its connection closed. Groups made with <see cref="TestCluster.SetConsumerGroup"/> are still
    /// listed and still answer DescribeGroups with GROUP_ID_NOT_FOUND.
    /// </summary>
    public bool ConsumerGroupDescribe { get; init; } = true;

    /// <summary>
    /// Network round-trip time added to every broker's responses (loopback has none); change it per broker at
    /// run time with <see cref="TestCluster.Network"/>. Pipelined requests stay concurrent: see <see cref="ClusterNetwork"/>.
    /// </summary>
    public TimeSpan NetworkRoundTrip { get; init; }

    /// <summary>Up to this much more, uniformly random, per response (never reordering a connection's responses).</summary>
    public TimeSpan NetworkJitter { get; init; }

    /// <summary>Receives diagnostic lines (closed connections, malformed requests, authentication failures).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>Security of every broker's listener: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.</summary>
public sealed class ClusterSecurity
{
    public bool Tls { get; init; }

    public bool RequireClientCertificate { get; init; }

    /// <summary>"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"; empty = no SASL.</summary>
    public IReadOnlyList<string> SaslMechanisms { get; init; } = [];

    /// <summary>user -> password, for every enabled mechanism.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>Kafka's name for the listener's security protocol, as a client's security.protocol takes it.</summary>
    public string SecurityProtocol => (Tls, SaslMechanisms.Count > 0) switch
    {
        (false, false) => "PLAINTEXT",
        (true, false) => "SSL",
        (false, true) => "SASL_PLAINTEXT",
        (true, true) => "SASL_SSL",
    };
}
