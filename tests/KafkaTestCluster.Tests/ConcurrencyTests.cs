using System.Collections.Concurrent;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>Test code mutates state while brokers serve it: every response stays well-formed.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task StateChangesWhileServingNeverBreakAResponse()
    {
        var problems = new ConcurrentQueue<string>();
        using var cluster = TestCluster.Start(new ClusterOptions { Log = problems.Enqueue });
        cluster.CreateTopic("stable", 20);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var readers = cluster.BrokerIds.Select(id => Task.Run(() =>
        {
            using var client = RawKafkaClient.Connect(cluster.BrokerAddress(id));
            var served = 0;
            while (!stop.IsCancellationRequested)
            {
                Assert.Contains(id, RawRequests.MetadataBrokersV1(client));
                Assert.Equal(ErrorCodes.None, RawRequests.MetadataTopicV1(client, "stable").Error);
                _ = RawRequests.OffsetFetchV9(client, $"group-{served % 10}", null);
                served++;
            }

            return served;
        })).ToList();

        var round = 0;
        while (!stop.IsCancellationRequested)
        {
            var name = $"churn-{round % 5}";
            if (round % 10 < 5)
            {
                cluster.CreateTopic(name, 50);
            }
            else
            {
                cluster.DeleteTopic(name);
            }

            cluster.AdvanceHighWatermark("stable", round % 20, 1);
            cluster.SetGroup(new GroupSpec($"group-{round % 10}", GroupState.Stable, [new MemberSpec("m", "c", "/h", [new("stable", round % 20)])]));
            cluster.CommitOffset($"group-{round % 10}", "stable", round % 20, round);
            round++;
            await Task.Yield();
        }

        var served = await Task.WhenAll(readers);
        Assert.All(served, count => Assert.True(count > 10, $"only {count} rounds served"));
        Assert.Empty(problems);
    }
}
