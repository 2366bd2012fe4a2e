using KafkaTestCluster.Apis;
using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Tests.Infrastructure;

/// <summary>Hand-encoded requests and the response fields tests look at, per Kafka's message JSON layouts.</summary>
internal static class RawRequests
{
    /// <summary>FindCoordinator v2 (single key): (error, node id).</summary>
    public static (short Error, int NodeId) FindCoordinatorV2(RawKafkaClient client, string group)
    {
        var body = client.Call(ApiKey.FindCoordinator, 2, false, w =>
        {
            w.WriteString(group);
            w.WriteInt8(0);
        });
        var r = new KafkaReader(body);
        _ = r.ReadInt32();
        var error = r.ReadInt16();
        _ = r.ReadNullableString();
        return (error, r.ReadInt32());
    }

    /// <summary>FindCoordinator v4 (batched keys, flexible): (key, error, node id) per key.</summary>
    public static List<(string Key, short Error, int NodeId)> FindCoordinatorV4(RawKafkaClient client, params string[] groups)
    {
        var body = client.Call(ApiKey.FindCoordinator, 4, true, w =>
        {
            w.WriteInt8(0);
            w.WriteArrayLength(groups.Length);
            foreach (var g in groups)
            {
                w.WriteString(g);
            }

            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        var result = new List<(string, short, int)>();
        var count = r.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            var key = r.ReadString();
            var node = r.ReadInt32();
            _ = r.ReadString();
            _ = r.ReadInt32();
            var error = r.ReadInt16();
            _ = r.ReadNullableString();
            r.SkipTaggedFields();
            result.Add((key, error, node));
        }

        return result;
    }

    /// <summary>DescribeGroups v5 (flexible): (error, state) of the one group asked for.</summary>
    public static (short Error, string State) DescribeGroupsV5(RawKafkaClient client, string group)
    {
        var body = client.Call(ApiKey.DescribeGroups, 5, true, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString(group);
            w.WriteBool(false);
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        Assert.Equal(1, r.ReadArrayLength());
        var error = r.ReadInt16();
        Assert.Equal(group, r.ReadString());
        return (error, r.ReadString());
    }

    /// <summary>OffsetFetch v9 (multi-group layout, flexible): (group error, partitions) for one group.</summary>
    public static (short GroupError, List<(int Partition, long Offset, short Error)> Partitions) OffsetFetchV9(RawKafkaClient client, string group, string? topic, params int[] partitions)
    {
        var body = client.Call(ApiKey.OffsetFetch, 9, true, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString(group);
            w.WriteNullableString(null);
            w.WriteInt32(-1);
            if (topic is null)
            {
                w.WriteArrayLength(-1);
            }
            else
            {
                w.WriteArrayLength(1);
                w.WriteString(topic);
                w.WriteInt32Array(partitions);
                w.WriteEmptyTaggedFields();
            }

            w.WriteEmptyTaggedFields();
            w.WriteBool(false);
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal(group, r.ReadString());
        var result = ReadOffsetTopics(ref r, version: 9);
        return (r.ReadInt16(), result);
    }

    /// <summary>OffsetFetch v3 (single group, top-level error): (top-level error, partitions).</summary>
    public static (short Error, List<(int Partition, long Offset, short Error)> Partitions) OffsetFetchV3(RawKafkaClient client, string group, string topic, params int[] partitions)
    {
        var body = client.Call(ApiKey.OffsetFetch, 3, false, w =>
        {
            w.WriteString(group);
            w.WriteArrayLength(1);
            w.WriteString(topic);
            w.WriteInt32Array(partitions);
        });
        var r = new KafkaReader(body);
        _ = r.ReadInt32();
        var result = ReadOffsetTopics(ref r, version: 3);
        return (r.ReadInt16(), result);
    }

    /// <summary>OffsetFetch v1 (errors only per partition).</summary>
    public static List<(int Partition, long Offset, short Error)> OffsetFetchV1(RawKafkaClient client, string group, string topic, params int[] partitions)
    {
        var body = client.Call(ApiKey.OffsetFetch, 1, false, w =>
        {
            w.WriteString(group);
            w.WriteArrayLength(1);
            w.WriteString(topic);
            w.WriteInt32Array(partitions);
        });
        var r = new KafkaReader(body);
        return ReadOffsetTopics(ref r, version: 1);
    }

    /// <summary>Every version of <paramref name="key"/> the cluster advertises.</summary>
    internal static IEnumerable<short> AdvertisedVersions(ApiKey key)
    {
        var handler = ApiRegistry.Default.Find((short)key)!;
        for (var v = handler.MinVersion; v <= handler.MaxVersion; v++)
        {
            yield return v;
        }
    }

    /// <summary>OffsetFetch's topics array, as (partition, committed offset, error code); the leader epoch from v5.</summary>
    internal static List<(int, long, short)> ReadOffsetTopics(ref KafkaReader r, short version)
    {
        var result = new List<(int, long, short)>();
        var topics = r.ReadArrayLength();
        for (var t = 0; t < topics; t++)
        {
            _ = r.ReadString();
            var count = r.ReadArrayLength();
            for (var p = 0; p < count; p++)
            {
                var partition = r.ReadInt32();
                var offset = r.ReadInt64();
                if (version >= 5)
                {
                    _ = r.ReadInt32();
                }

                _ = r.ReadNullableString();
                result.Add((partition, offset, r.ReadInt16()));
                r.SkipTaggedFields();
            }

            r.SkipTaggedFields();
        }

        return result;
    }

    /// <summary>Reads the empty server token a PLAIN exchange answers with, then checks ApiVersions works (so we are authenticated).</summary>
    public static short ApiVersionsAfterRawToken(RawKafkaClient client)
    {
        var token = client.ReceiveRawFrame();
        Assert.Empty(token);
        return ApiVersionsV0(client);
    }

    /// <summary>ApiVersions v0 round trip: the error code.</summary>
    public static short ApiVersionsV0(RawKafkaClient client)
    {
        var body = client.Call(ApiKey.ApiVersions, 0, false, _ => { });
        return new KafkaReader(body).ReadInt16();
    }

    /// <summary>Metadata v1 for one topic: its error and partition count.</summary>
    public static (short Error, int Partitions) MetadataTopicV1(RawKafkaClient client, string topic)
    {
        var body = client.Call(ApiKey.Metadata, 1, false, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString(topic);
        });
        var r = new KafkaReader(body);
        var brokers = r.ReadArrayLength();
        for (var i = 0; i < brokers; i++)
        {
            _ = r.ReadInt32();
            _ = r.ReadString();
            _ = r.ReadInt32();
            _ = r.ReadNullableString();
        }

        _ = r.ReadInt32(); // controller
        Assert.Equal(1, r.ReadArrayLength());
        var error = r.ReadInt16();
        Assert.Equal(topic, r.ReadString());
        _ = r.ReadBool();
        return (error, r.ReadArrayLength());
    }

    /// <summary>Metadata v1 for no topics: the broker ids listed.</summary>
    public static List<int> MetadataBrokersV1(RawKafkaClient client)
    {
        var body = client.Call(ApiKey.Metadata, 1, false, w => w.WriteArrayLength(0));
        var r = new KafkaReader(body);
        var ids = new List<int>();
        var count = r.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            ids.Add(r.ReadInt32());
            _ = r.ReadString();
            _ = r.ReadInt32();
            _ = r.ReadNullableString();
        }

        return ids;
    }
}
