using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>
/// The simulated network round trip (<see cref="ClusterNetwork"/>): every response waits one round trip after its
/// request, and requests pipelined on one connection wait together. Timing-sensitive, hence serial; the bounds
/// come from the configured round trip, the lower ones exact, the upper ones with wide slack.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class NetworkLatencyTests
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(200);

    private const int Pipelined = 10;

    [Fact]
    public void PipelinedRequestsAreAnsweredOneRoundTripAfterEachArrivedNotOneAfterAnother()
    {
        using var cluster = TestCluster.Start(new ClusterOptions { NetworkRoundTrip = RoundTrip });
        using var socket = Connect(cluster, cluster.BrokerIds[0]);

        var sentAt = new TimeSpan[Pipelined];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Pipelined; i++)
        {
            sentAt[i] = watch.Elapsed;
            socket.Send(ApiVersionsV0(correlationId: i));
        }

        for (var i = 0; i < Pipelined; i++)
        {
            var (correlationId, error) = ReceiveApiVersions(socket);
            var answeredAfter = watch.Elapsed - sentAt[i];
            Assert.Equal(i, correlationId); // request order, as Kafka answers
            Assert.Equal(ErrorCodes.None, error);
            Assert.True(answeredAfter >= RoundTrip, $"response {i} came {answeredAfter.TotalMilliseconds:F1} ms after its request, before the {RoundTrip.TotalMilliseconds} ms round trip");
        }

        // Served one after another they would take Pipelined round trips; together they take one (plus scheduling).
        var total = watch.Elapsed;
        Assert.True(total < RoundTrip * (Pipelined / 2), $"{Pipelined} pipelined requests took {total.TotalMilliseconds:F0} ms at a {RoundTrip.TotalMilliseconds} ms round trip");
        Assert.True(cluster.Counters.PeakInFlightOnConnection(cluster.BrokerIds[0]) >= Pipelined / 2,
            $"peak in flight on the connection: {cluster.Counters.PeakInFlightOnConnection(cluster.BrokerIds[0])}");
    }

    [Fact]
    public void EveryResponseWaitsTheRoundTripOfItsBrokerAsSetAtRunTime()
    {
        using var cluster = TestCluster.Start();
        var delayed = cluster.BrokerIds[0];
        var other = cluster.BrokerIds[1];
        var jitter = TimeSpan.FromMilliseconds(50);
        cluster.Network.SetRoundTrip(RoundTrip, jitter, delayed);
        Assert.Equal(RoundTrip, cluster.Network.RoundTrip(delayed));
        Assert.Equal(TimeSpan.Zero, cluster.Network.RoundTrip(other));

        using var one = RawKafkaClient.Connect(cluster.BrokerAddress(delayed));
        using var two = RawKafkaClient.Connect(cluster.BrokerAddress(other));
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            RawRequests.MetadataBrokersV1(one);
            Assert.True(watch.Elapsed >= RoundTrip, $"answered after {watch.Elapsed.TotalMilliseconds:F1} ms at a {RoundTrip.TotalMilliseconds} ms round trip");
        }

        var undelayed = Stopwatch.StartNew();
        RawRequests.MetadataBrokersV1(two);
        Assert.True(undelayed.Elapsed < RoundTrip, $"the other broker took {undelayed.Elapsed.TotalMilliseconds:F1} ms");

        cluster.Network.SetRoundTrip(TimeSpan.Zero);
        undelayed.Restart();
        RawRequests.MetadataBrokersV1(one);
        Assert.True(undelayed.Elapsed < RoundTrip, $"after the round trip was set to 0: {undelayed.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public void NeverAnswerStillHangsTheConnectionBehindTheResponsesAlreadyOnTheWire()
    {
        using var cluster = TestCluster.Start(new ClusterOptions { NetworkRoundTrip = RoundTrip });
        var broker = cluster.BrokerIds[0];
        cluster.Faults.NeverAnswer(ApiKey.Metadata, broker);
        using var socket = Connect(cluster, broker);
        socket.Send(ApiVersionsV0(correlationId: 1));
        socket.Send(MetadataV1NoTopics(correlationId: 2));
        socket.Send(ApiVersionsV0(correlationId: 3));

        Assert.Equal((1, ErrorCodes.None), ReceiveApiVersions(socket));
        socket.ReceiveTimeout = (int)(RoundTrip * 3).TotalMilliseconds;
        var ex = Assert.Throws<SocketException>(() => socket.Receive(new byte[4]));
        Assert.Equal(SocketError.TimedOut, ex.SocketErrorCode);
        // In flight together: the first (waiting out its round trip) and the hung one; the one behind it is read, never served.
        Assert.Equal(2, cluster.Counters.PeakInFlight(broker));
    }

    private static Socket Connect(TestCluster cluster, int brokerId)
    {
        var address = cluster.BrokerAddress(brokerId);
        var colon = address.LastIndexOf(':');
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 10_000 };
        socket.Connect(IPAddress.Parse(address[..colon]), int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return socket;
    }

    private static byte[] ApiVersionsV0(int correlationId) => Frame(ApiKey.ApiVersions, 0, correlationId, _ => { });

    private static byte[] MetadataV1NoTopics(int correlationId) => Frame(ApiKey.Metadata, 1, correlationId, w => w.WriteArrayLength(0));

    private static byte[] Frame(ApiKey api, short version, int correlationId, Action<KafkaWriter> body)
    {
        using var writer = new KafkaWriter();
        var sizeAt = writer.Reserve(4);
        writer.WriteInt16((short)api);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteInt16(-1); // null client id
        body(writer);
        writer.PatchInt32(sizeAt, writer.Length - 4);
        return writer.WrittenSpan.ToArray();
    }

    private static (int CorrelationId, short Error) ReceiveApiVersions(Socket socket)
    {
        var size = new byte[4];
        ReceiveExactly(socket, size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        ReceiveExactly(socket, frame);
        return (BinaryPrimitives.ReadInt32BigEndian(frame), BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(4)));
    }

    private static void ReceiveExactly(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
            Assert.True(n > 0, "connection closed");
            read += n;
        }
    }
}
