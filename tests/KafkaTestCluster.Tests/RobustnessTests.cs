using System.Buffers.Binary;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>Bad input costs the sender its connection, never the cluster; pipelining and many connections work.</summary>
public sealed class RobustnessTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start();

    public void Dispose() => _cluster.Dispose();

    private RawKafkaClient Connect() => RawKafkaClient.Connect(_cluster.BrokerAddress(1));

    private void AssertStillServing()
    {
        using var client = Connect();
        Assert.Equal(ErrorCodes.None, RawRequests.ApiVersionsV0(client));
    }

    [Fact]
    public void UnsupportedApiVersionsVersionGetsTheV0ListAndTheConnectionStaysUsable()
    {
        using var client = Connect();
        var body = client.Call(ApiKey.ApiVersions, 99, false, _ => { });
        var reader = new KafkaReader(body);
        Assert.Equal(ErrorCodes.UnsupportedVersion, reader.ReadInt16());
        var apis = new Dictionary<short, (short Min, short Max)>();
        var count = reader.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            apis[reader.ReadInt16()] = (reader.ReadInt16(), reader.ReadInt16());
        }

        Assert.Equal(0, reader.Remaining); // v0 layout: no throttle time, no tagged fields
        Assert.Equal(((short)0, (short)3), apis[(short)ApiKey.ApiVersions]);
        Assert.Equal(((short)0, (short)1), apis[(short)ApiKey.ConsumerGroupDescribe]);
        Assert.Equal(ErrorCodes.None, RawRequests.ApiVersionsV0(client));
    }

    [Theory]
    [InlineData((short)999, (short)0)] // unknown API key
    [InlineData((short)3, (short)99)] // Metadata at a version nobody speaks
    [InlineData((short)68, (short)0)] // ConsumerGroupHeartbeat: known to Kafka, not implemented (not advertised)
    [InlineData((short)69, (short)2)] // ConsumerGroupDescribe v2: newer than Kafka 4.0-4.2 and this cluster
    public void UnknownApiOrUnsupportedVersionClosesOnlyThatConnection(short apiKey, short version)
    {
        using var client = Connect();
        client.Send((ApiKey)apiKey, version, false, w => w.WriteInt32(0));
        Assert.True(client.IsClosedByServer());
        AssertStillServing();
    }

    [Fact]
    public void GarbageFramesCloseTheConnection()
    {
        var frames = new List<byte[]>
        {
            new byte[] { 0x7F, 0xFF, 0xFF, 0xFF }, // size beyond socket.request.max.bytes
            new byte[] { 0xFF, 0xFF, 0xFF, 0xFE }, // negative size
            new byte[] { 0, 0, 0, 3, 1, 2, 3 }, // too short for a request header
        };
        var truncated = new byte[4 + 14];
        BinaryPrimitives.WriteInt32BigEndian(truncated, 14);
        BinaryPrimitives.WriteInt16BigEndian(truncated.AsSpan(4), (short)ApiKey.Metadata);
        BinaryPrimitives.WriteInt16BigEndian(truncated.AsSpan(6), 1);
        BinaryPrimitives.WriteInt32BigEndian(truncated.AsSpan(8), 7);
        BinaryPrimitives.WriteInt16BigEndian(truncated.AsSpan(12), -1); // null client id
        BinaryPrimitives.WriteInt32BigEndian(truncated.AsSpan(14), 1000); // 1000 topics follow... but none do
        frames.Add(truncated);

        foreach (var frame in frames)
        {
            using var client = Connect();
            client.SendRaw(frame);
            Assert.True(client.IsClosedByServer(), Convert.ToHexString(frame));
        }

        AssertStillServing();
    }

    [Fact]
    public void PipelinedRequestsAreAnsweredInOrder()
    {
        _cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(30), api: ApiKey.Metadata);
        using var client = Connect();
        var sent = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            sent.Add(i % 2 == 0
                ? client.Send(ApiKey.Metadata, 1, false, w => w.WriteArrayLength(0))
                : client.Send(ApiKey.ApiVersions, 0, false, _ => { }));
        }

        var received = Enumerable.Range(0, 10).Select(_ => client.Receive().CorrelationId).ToList();
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task ManyConnectionsPerBrokerAreServedConcurrently()
    {
        var clients = Enumerable.Range(0, 40).Select(_ => Connect()).ToList();
        try
        {
            await Task.WhenAll(clients.Select(c => Task.Run(() => Assert.Equal(ErrorCodes.None, RawRequests.ApiVersionsV0(c)))));
            Assert.True(_cluster.OpenConnections >= 40);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        await Wait.UntilAsync(() => _cluster.OpenConnections == 0, "connections to close");
    }
}
