using KafkaTestCluster.Apis;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>
/// Every advertised version of the APIs a monitor depends on, decoded field by field from Kafka's message
/// JSON layouts (written here independently of the handlers) and required to end exactly where the frame ends.
/// </summary>
public sealed class VersionSweepTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Racks = ["r1", null, "r3"] });
    private readonly RawKafkaClient _client;

    public VersionSweepTests()
    {
        _cluster.CreateTopic("t", 2);
        _cluster.SetPartition("t", 0, [1, 2, 3], 1, [1, 2], offlineReplicas: [3]);
        _cluster.SetPartition("t", 1, [1, 3, 2], 1, [1, 3, 2]);
        _cluster.SetWatermarks("t", 0, 3, 30);
        _cluster.SetGroup(new GroupSpec("g", GroupState.Stable, [new MemberSpec("m", "c", "/h", [new("t", 0)], "inst")]));
        _cluster.CommitOffset("g", "t", 0, 7, "md");
        _client = RawKafkaClient.Connect(_cluster.BrokerAddress(_cluster.CoordinatorOf("g")));
    }

    public void Dispose()
    {
        _client.Dispose();
        _cluster.Dispose();
    }


    private static bool Flexible(ApiKey key, short version) => ApiRegistry.Default.Find((short)key)!.IsFlexible(version);

    [Fact]
    public void MetadataAllVersions()
    {
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.Metadata))
        {
            var flexible = Flexible(ApiKey.Metadata, v);
            var body = _client.Call(ApiKey.Metadata, v, flexible, w =>
            {
                w.WriteArrayLength(1);
                if (v >= 10)
                {
                    w.WriteUuid(Guid.Empty);
                }

                w.WriteString("t");
                w.WriteEmptyTaggedFields();
                if (v >= 4)
                {
                    w.WriteBool(false);
                }

                if (v is >= 8 and <= 10)
                {
                    w.WriteBool(false);
                }

                if (v >= 8)
                {
                    w.WriteBool(false);
                }

                w.WriteEmptyTaggedFields();
            });
            var r = new KafkaReader(body, flexible);
            if (v >= 3)
            {
                r.ReadInt32();
            }

            var brokers = r.ReadArrayLength();
            Assert.Equal(3, brokers);
            var racks = new List<string?>();
            for (var i = 0; i < brokers; i++)
            {
                r.ReadInt32();
                r.ReadString();
                r.ReadInt32();
                if (v >= 1)
                {
                    racks.Add(r.ReadNullableString());
                }

                r.SkipTaggedFields();
            }

            if (v >= 1)
            {
                Assert.Equal(["r1", null, "r3"], racks);
            }

            if (v >= 2)
            {
                Assert.Equal(_cluster.ClusterId, r.ReadNullableString());
            }

            if (v >= 1)
            {
                Assert.Equal(_cluster.ControllerId, r.ReadInt32());
            }

            Assert.Equal(1, r.ReadArrayLength());
            Assert.Equal(0, r.ReadInt16());
            Assert.Equal("t", r.ReadString());
            if (v >= 10)
            {
                Assert.NotEqual(Guid.Empty, r.ReadUuid());
            }

            if (v >= 1)
            {
                Assert.False(r.ReadBool());
            }

            Assert.Equal(2, r.ReadArrayLength());
            for (var p = 0; p < 2; p++)
            {
                r.ReadInt16();
                Assert.Equal(p, r.ReadInt32());
                Assert.Equal(1, r.ReadInt32());
                if (v >= 7)
                {
                    r.ReadInt32();
                }

                Assert.Equal(3, r.ReadInt32Array().Length);
                Assert.Equal(p == 0 ? 2 : 3, r.ReadInt32Array().Length);
                if (v >= 5)
                {
                    Assert.Equal(p == 0 ? [3] : [], r.ReadInt32Array());
                }

                r.SkipTaggedFields();
            }

            if (v >= 8)
            {
                r.ReadInt32();
            }

            r.SkipTaggedFields();
            if (v is >= 8 and <= 10)
            {
                r.ReadInt32();
            }

            if (v >= 13)
            {
                Assert.Equal(0, r.ReadInt16());
            }

            r.SkipTaggedFields();
            Assert.True(r.Remaining == 0, $"Metadata v{v}: {r.Remaining} byte(s) left");
        }
    }

    [Fact]
    public void ListOffsetsAllVersions()
    {
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.ListOffsets))
        {
            var flexible = Flexible(ApiKey.ListOffsets, v);
            var body = _client.Call(ApiKey.ListOffsets, v, flexible, w =>
            {
                w.WriteInt32(-1);
                if (v >= 2)
                {
                    w.WriteInt8(0);
                }

                w.WriteArrayLength(1);
                w.WriteString("t");
                w.WriteArrayLength(1);
                w.WriteInt32(0);
                if (v >= 4)
                {
                    w.WriteInt32(-1);
                }

                w.WriteInt64(-1);
                if (v == 0)
                {
                    w.WriteInt32(1);
                }

                w.WriteEmptyTaggedFields();
                w.WriteEmptyTaggedFields();
                if (v >= 10)
                {
                    w.WriteInt32(1000);
                }

                w.WriteEmptyTaggedFields();
            });
            var leaderIsHere = _cluster.BrokerAddress(1) == _cluster.BrokerAddress(_cluster.CoordinatorOf("g"));
            var r = new KafkaReader(body, flexible);
            if (v >= 2)
            {
                r.ReadInt32();
            }

            Assert.Equal(1, r.ReadArrayLength());
            Assert.Equal("t", r.ReadString());
            Assert.Equal(1, r.ReadArrayLength());
            Assert.Equal(0, r.ReadInt32());
            var error = r.ReadInt16();
            Assert.Equal(leaderIsHere ? ErrorCodes.None : ErrorCodes.NotLeaderOrFollower, error);
            if (v == 0)
            {
                var offsets = r.ReadArrayLength();
                for (var i = 0; i < offsets; i++)
                {
                    Assert.Equal(30, r.ReadInt64());
                }
            }
            else
            {
                Assert.Equal(-1, r.ReadInt64());
                Assert.Equal(leaderIsHere ? 30 : -1, r.ReadInt64());
                if (v >= 4)
                {
                    r.ReadInt32();
                }
            }

            r.SkipTaggedFields();
            r.SkipTaggedFields();
            r.SkipTaggedFields();
            Assert.True(r.Remaining == 0, $"ListOffsets v{v}: {r.Remaining} byte(s) left");
        }
    }

    [Fact]
    public void OffsetFetchAllVersions()
    {
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.OffsetFetch))
        {
            var flexible = Flexible(ApiKey.OffsetFetch, v);
            var body = _client.Call(ApiKey.OffsetFetch, v, flexible, w =>
            {
                if (v >= 8)
                {
                    w.WriteArrayLength(1);
                }

                w.WriteString("g");
                if (v >= 9)
                {
                    w.WriteNullableString(null);
                    w.WriteInt32(-1);
                }

                w.WriteArrayLength(1);
                w.WriteString("t");
                w.WriteInt32Array([0, 1]);
                w.WriteEmptyTaggedFields();
                if (v >= 8)
                {
                    w.WriteEmptyTaggedFields();
                }

                if (v >= 7)
                {
                    w.WriteBool(false);
                }

                w.WriteEmptyTaggedFields();
            });
            var r = new KafkaReader(body, flexible);
            if (v >= 3)
            {
                r.ReadInt32();
            }

            if (v >= 8)
            {
                Assert.Equal(1, r.ReadArrayLength());
                Assert.Equal("g", r.ReadString());
            }

            Assert.Equal(1, r.ReadArrayLength());
            Assert.Equal("t", r.ReadString());
            Assert.Equal(2, r.ReadArrayLength());
            var offsets = new List<(long, string?)>();
            for (var p = 0; p < 2; p++)
            {
                Assert.Equal(p, r.ReadInt32());
                var offset = r.ReadInt64();
                if (v >= 5)
                {
                    r.ReadInt32();
                }

                offsets.Add((offset, r.ReadNullableString()));
                Assert.Equal(0, r.ReadInt16());
                r.SkipTaggedFields();
            }

            Assert.Equal([(7L, "md"), (-1L, "")], offsets);
            r.SkipTaggedFields();
            if (v >= 2)
            {
                Assert.Equal(0, r.ReadInt16());
            }

            if (v >= 8)
            {
                r.SkipTaggedFields();
            }

            r.SkipTaggedFields();
            Assert.True(r.Remaining == 0, $"OffsetFetch v{v}: {r.Remaining} byte(s) left");
        }
    }

    [Fact]
    public void DescribeGroupsAllVersions()
    {
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.DescribeGroups))
        {
            var flexible = Flexible(ApiKey.DescribeGroups, v);
            var body = _client.Call(ApiKey.DescribeGroups, v, flexible, w =>
            {
                w.WriteArrayLength(1);
                w.WriteString("g");
                if (v >= 3)
                {
                    w.WriteBool(true);
                }

                w.WriteEmptyTaggedFields();
            });
            var r = new KafkaReader(body, flexible);
            if (v >= 1)
            {
                r.ReadInt32();
            }

            Assert.Equal(1, r.ReadArrayLength());
            Assert.Equal(0, r.ReadInt16());
            if (v >= 6)
            {
                Assert.Null(r.ReadNullableString());
            }

            Assert.Equal("g", r.ReadString());
            Assert.Equal("Stable", r.ReadString());
            Assert.Equal("consumer", r.ReadString());
            Assert.Equal("range", r.ReadString());
            Assert.Equal(1, r.ReadArrayLength());
            Assert.Equal("m", r.ReadString());
            if (v >= 4)
            {
                Assert.Equal("inst", r.ReadNullableString());
            }

            Assert.Equal("c", r.ReadString());
            Assert.Equal("/h", r.ReadString());
            r.ReadBytes();
            Assert.Equal([new TopicPartitionRef("t", 0)], ConsumerProtocol.DecodeAssignment(r.ReadBytes()));
            r.SkipTaggedFields();
            if (v >= 3)
            {
                Assert.NotEqual(int.MinValue, r.ReadInt32());
            }

            r.SkipTaggedFields();
            r.SkipTaggedFields();
            Assert.True(r.Remaining == 0, $"DescribeGroups v{v}: {r.Remaining} byte(s) left");
        }
    }
}
