using KafkaTestCluster.Protocol;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>Exact layouts and broker-side rules that the Confluent client does not expose directly.</summary>
public sealed class WireProtocolTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start();

    public WireProtocolTests()
    {
        _cluster.CreateTopic("t", 2);
        _cluster.SetPartition("t", 0, [1, 2, 3], leader: 1, isr: [1, 2, 3]);
        _cluster.SetPartition("t", 1, [2, 3, 1], leader: -1, isr: []);
        _cluster.SetWatermarks("t", 0, 0, 10);
    }

    public void Dispose() => _cluster.Dispose();

    private RawKafkaClient Connect(int broker) => RawKafkaClient.Connect(_cluster.BrokerAddress(broker));

    [Fact]
    public void ApiVersionsV3UsesResponseHeaderV0AndAdvertisesFlexibleRanges()
    {
        using var client = Connect(1);
        var body = client.Call(ApiKey.ApiVersions, 3, true, w =>
        {
            w.WriteString("test-client");
            w.WriteString("1.0");
            w.WriteEmptyTaggedFields();
        });

        var r = new KafkaReader(body, flexible: true); // no header tagged fields before the body
        Assert.Equal(ErrorCodes.None, r.ReadInt16());
        var apis = new Dictionary<ApiKey, (short, short)>();
        var count = r.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            apis[(ApiKey)r.ReadInt16()] = (r.ReadInt16(), r.ReadInt16());
            r.SkipTaggedFields();
        }

        Assert.Equal(0, r.ReadInt32());
        r.SkipTaggedFields();
        Assert.Equal(0, r.Remaining);
        Assert.Equal(((short)0, (short)13), apis[ApiKey.Metadata]);
        Assert.Equal(((short)4, (short)12), apis[ApiKey.Fetch]);
        Assert.Equal(((short)0, (short)1), apis[ApiKey.ConsumerGroupDescribe]);
    }

    [Fact]
    public void FlexibleRequestHeaderTaggedFieldsAreSkippedAndTheResponseHeaderCarriesItsOwn()
    {
        using var client = Connect(1);
        using var writer = new KafkaWriter();
        var sizeAt = writer.Reserve(4);
        writer.WriteInt16((short)ApiKey.Metadata);
        writer.WriteInt16(12);
        writer.WriteInt32(77);
        writer.WriteInt16(-1); // null client id
        writer.WriteUnsignedVarint(1); // one tagged field in the header: tag 5, 3 bytes
        writer.WriteUnsignedVarint(5);
        writer.WriteUnsignedVarint(3);
        writer.WriteRaw([1, 2, 3]);
        writer.Flexible = true;
        writer.WriteArrayLength(0); // no topics
        writer.WriteBool(false);
        writer.WriteBool(false);
        writer.WriteEmptyTaggedFields();
        writer.PatchInt32(sizeAt, writer.Length - 4);
        client.SendRaw(writer.WrittenSpan);

        var (correlationId, body) = client.Receive();
        Assert.Equal(77, correlationId);
        Assert.Equal(0, body[0]); // response header v1: empty tagged fields
        var r = new KafkaReader(body.AsSpan(1), flexible: true);
        _ = r.ReadInt32(); // throttle
        Assert.Equal(3, r.ReadArrayLength());
    }

    [Fact]
    public void ListOffsetsIsAnsweredByTheLeaderOnly()
    {
        using var leader = Connect(1);
        using var follower = Connect(2);
        Assert.Equal([(0, ErrorCodes.None, 10L), (1, ErrorCodes.LeaderNotAvailable, -1L)], ListLatest(leader));
        Assert.Equal([(0, ErrorCodes.NotLeaderOrFollower, -1L), (1, ErrorCodes.LeaderNotAvailable, -1L)], ListLatest(follower));
    }

    private static List<(int, short, long)> ListLatest(RawKafkaClient client)
    {
        var body = client.Call(ApiKey.ListOffsets, 7, true, w =>
        {
            w.WriteInt32(-1);
            w.WriteInt8(0);
            w.WriteArrayLength(1);
            w.WriteString("t");
            w.WriteArrayLength(2);
            foreach (var p in new[] { 0, 1 })
            {
                w.WriteInt32(p);
                w.WriteInt32(-1);
                w.WriteInt64(-1);
                w.WriteEmptyTaggedFields();
            }

            w.WriteEmptyTaggedFields();
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal("t", r.ReadString());
        var result = new List<(int, short, long)>();
        var count = r.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            var partition = r.ReadInt32();
            var error = r.ReadInt16();
            _ = r.ReadInt64();
            result.Add((partition, error, r.ReadInt64()));
            _ = r.ReadInt32();
            r.SkipTaggedFields();
        }

        return result;
    }

    [Fact]
    public void ProduceChecksTheCrcAndLeadershipAndCountsRecords()
    {
        using var batchWriter = new KafkaWriter();
        RecordBatch.WriteSynthetic(batchWriter, 0, 3, o => 1_700_000_000_000 + o);
        var good = batchWriter.WrittenSpan.ToArray();
        var corrupt = (byte[])good.Clone();
        corrupt[^1] ^= 0xFF; // payload changed, CRC not

        using var leader = Connect(1);
        using var follower = Connect(2);
        Assert.Equal((ErrorCodes.CorruptMessage, -1L), Produce(leader, corrupt));
        Assert.Equal((0L, 10L), _cluster.GetWatermarks("t", 0));
        Assert.Equal((ErrorCodes.NotLeaderOrFollower, -1L), Produce(follower, good));
        Assert.Equal((ErrorCodes.None, 10L), Produce(leader, good));
        Assert.Equal((0L, 13L), _cluster.GetWatermarks("t", 0));
    }

    private static (short Error, long BaseOffset) Produce(RawKafkaClient client, byte[] records)
    {
        var body = client.Call(ApiKey.Produce, 7, false, w =>
        {
            w.WriteNullableString(null);
            w.WriteInt16(1);
            w.WriteInt32(5000);
            w.WriteArrayLength(1);
            w.WriteString("t");
            w.WriteArrayLength(1);
            w.WriteInt32(0);
            w.WriteBytes(records);
        });
        var r = new KafkaReader(body);
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal("t", r.ReadString());
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal(0, r.ReadInt32());
        return (r.ReadInt16(), r.ReadInt64());
    }

    [Fact]
    public void DescribeClusterListsLiveBrokersWithTheControllerAndClusterId()
    {
        // librdkafka 2.16's DescribeClusterAsync goes through Metadata; Java's AdminClient uses this API.
        _cluster.Faults.BrokerDown(3);
        using var client = Connect(1);
        var body = client.Call(ApiKey.DescribeCluster, 1, true, w =>
        {
            w.WriteBool(true);
            w.WriteInt8(1);
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        Assert.Equal(ErrorCodes.None, r.ReadInt16());
        Assert.Null(r.ReadNullableString());
        Assert.Equal(1, r.ReadInt8());
        Assert.Equal(_cluster.ClusterId, r.ReadString());
        Assert.Equal(_cluster.ControllerId, r.ReadInt32());
        var brokers = new List<string>();
        var count = r.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            var id = r.ReadInt32();
            brokers.Add($"{id}@{r.ReadString()}:{r.ReadInt32()}");
            Assert.Null(r.ReadNullableString());
            r.SkipTaggedFields();
        }

        Assert.Equal([$"1@{_cluster.BrokerAddress(1)}", $"2@{_cluster.BrokerAddress(2)}"], brokers);
        Assert.NotEqual(int.MinValue, r.ReadInt32()); // authorized operations were asked for
    }

    [Fact]
    public void MetadataAutoCreatesTopicsOnlyWhenEnabled()
    {
        using var client = Connect(1);
        Assert.Equal((ErrorCodes.UnknownTopicOrPartition, 0), RawRequests.MetadataTopicV1(client, "fresh"));

        using var autoCreating = TestCluster.Start(new ClusterOptions { AutoCreateTopics = true, DefaultPartitions = 4 });
        using var other = RawKafkaClient.Connect(autoCreating.BrokerAddress(1));
        Assert.Equal((ErrorCodes.None, 4), RawRequests.MetadataTopicV1(other, "fresh"));
        Assert.Equal((0L, 0L), autoCreating.GetWatermarks("fresh", 3));
    }
}
