using System.Diagnostics;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KafkaTestCluster.Tests;

/// <summary>
/// Set-up and serving cost at benchmark sizes. Times are printed, and asserted only loosely: the machine
/// is shared, and these guard against quadratic behaviour, not against a slow second.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void TenThousandPartitionsAndAThousandGroupsSetUpWellUnderASecond()
    {
        using var cluster = TestCluster.Start();
        var watch = Stopwatch.StartNew();
        for (var t = 0; t < 100; t++)
        {
            cluster.CreateTopic($"topic-{t}", 100);
            for (var p = 0; p < 100; p++)
            {
                cluster.SetWatermarks($"topic-{t}", p, p, 1000 + p);
            }
        }

        var topics = watch.Elapsed;
        for (var g = 0; g < 1000; g++)
        {
            var topic = $"topic-{g % 100}";
            cluster.SetGroup(new GroupSpec($"group-{g}", GroupState.Stable,
            [
                new MemberSpec($"member-{g}-a", "client-a", "/10.0.0.1", [new(topic, 0), new(topic, 1)]),
                new MemberSpec($"member-{g}-b", "client-b", "/10.0.0.2", [new(topic, 2), new(topic, 3)]),
            ]));
            for (var p = 0; p < 4; p++)
            {
                cluster.CommitOffset($"group-{g}", topic, p, 500);
            }
        }

        var total = watch.Elapsed;
        output.WriteLine($"10,000 partitions with watermarks: {topics.TotalMilliseconds:F1} ms; " +
                         $"+1,000 groups (2 members, 4 commits each): {total.TotalMilliseconds:F1} ms total");
        Assert.True(total < TimeSpan.FromSeconds(5), $"set-up took {total}");
    }

    [Fact]
    public void FiftyThousandPartitionsAndFiveThousandGroupsAreServedQuickly()
    {
        using var cluster = TestCluster.Start();
        for (var t = 0; t < 50; t++)
        {
            cluster.CreateTopic($"big-{t}", 1000);
        }

        for (var g = 0; g < 5000; g++)
        {
            cluster.SetGroup(new GroupSpec($"g-{g}", GroupState.Empty, []));
        }

        using var client = RawKafkaClient.Connect(cluster.BrokerAddress(1));
        var watch = Stopwatch.StartNew();
        var metadata = client.Call(ApiKey.Metadata, 12, true, w =>
        {
            w.WriteArrayLength(-1);
            w.WriteBool(false);
            w.WriteBool(false);
            w.WriteEmptyTaggedFields();
        });
        var metadataTime = watch.Elapsed;

        // ListOffsets (latest) for every partition that broker 1 leads, as a lag monitor would ask.
        watch.Restart();
        var offsets = client.Call(ApiKey.ListOffsets, 7, true, w =>
        {
            w.WriteInt32(-1);
            w.WriteInt8(0);
            w.WriteArrayLength(50);
            for (var t = 0; t < 50; t++)
            {
                w.WriteString($"big-{t}");
                w.WriteArrayLength(1000);
                for (var p = 0; p < 1000; p++)
                {
                    w.WriteInt32(p);
                    w.WriteInt32(-1);
                    w.WriteInt64(-1);
                    w.WriteEmptyTaggedFields();
                }

                w.WriteEmptyTaggedFields();
            }

            w.WriteEmptyTaggedFields();
        });
        var offsetsTime = watch.Elapsed;

        watch.Restart();
        var groups = 0L;
        foreach (var broker in cluster.BrokerIds)
        {
            using var c = RawKafkaClient.Connect(cluster.BrokerAddress(broker));
            var body = c.Call(ApiKey.ListGroups, 4, true, w =>
            {
                w.WriteArrayLength(0);
                w.WriteEmptyTaggedFields();
            });
            var r = new KafkaReader(body, flexible: true);
            _ = r.ReadInt32();
            _ = r.ReadInt16();
            groups += r.ReadArrayLength();
        }

        var groupsTime = watch.Elapsed;
        output.WriteLine($"Metadata, 50,000 partitions: {metadata.Length:N0} bytes in {metadataTime.TotalMilliseconds:F1} ms");
        output.WriteLine($"ListOffsets, 50,000 partitions: {offsets.Length:N0} bytes in {offsetsTime.TotalMilliseconds:F1} ms");
        output.WriteLine($"ListGroups on 3 brokers, 5,000 groups: {groupsTime.TotalMilliseconds:F1} ms");
        Assert.Equal(5000, groups);
        Assert.True(metadataTime + offsetsTime + groupsTime < TimeSpan.FromSeconds(5));
    }
}
