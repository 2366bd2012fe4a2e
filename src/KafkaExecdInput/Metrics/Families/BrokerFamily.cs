using System.Globalization;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary><c>kafka_broker info</c>: one series per broker, named by id and address.</summary>
internal sealed class BrokerFamily() : MetricFamily("broker", SnapshotNeeds.Metadata, Line)
{
    private static readonly MetricTag Address = new("address", "host:port");

    private static readonly MetricTag Id = new("id");

    private static readonly MetricField Info = MetricField.Integer("info", "always 1: one series per broker");

    private static readonly MetricLine Line = new(EncodedName.Measurement("kafka_broker"), [Address, Id], Info);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (!gather.OwnsClusterLines)
        {
            return;
        }

        foreach (BrokerInfo broker in gather.Brokers)
        {
            string address = FormatAddress(broker);
            if (!gather.Names.AllowsBrokerAddress(address))
            {
                continue;
            }

            writer.BeginLine(Line.Measurement);
            writer.Tag(Address.Key, address);
            writer.Tag(Id.Key, broker.Id);
            writer.Field(Info.Key, 1L);
            writer.EndLine(gather.TimestampNs);
        }
    }

    /// <summary>"host:port", with an IPv6 literal in brackets as Go's net.JoinHostPort (and kafka_exporter) writes it.</summary>
    internal static string FormatAddress(BrokerInfo broker) =>
        broker.Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{broker.Host}]:{broker.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{broker.Host}:{broker.Port}");
}
