namespace KafkaTestCluster.State;

/// <summary>A broker's identity as Metadata and DescribeCluster advertise it.</summary>
internal sealed class BrokerNode(int id, string host, int port, string? rack)
{
    public int Id { get; } = id;

    public string Host { get; } = host;

    public int Port { get; } = port;

    public string? Rack { get; } = rack;

    /// <summary>Down brokers are left out of broker lists, as a fenced broker is. Written by the listener.</summary>
    public volatile bool IsDown;

    public string Address => $"{Host}:{Port}";
}
