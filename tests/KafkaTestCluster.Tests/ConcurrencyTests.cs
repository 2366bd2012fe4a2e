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
        // Each reader serves a fixed number of rounds while the state churns: a count, not a time
        // window, so a loaded machine makes the test slower, never weaker. The limit only catches a hang.
        const int Rounds = 20;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var readers = cluster.BrokerIds.Select(id => Task.Run(() =>
        {
            using var client = RawKafkaClient.Connect(cluster.BrokerAddress(id));
            var served = 0;
            while (served < Rounds && !stop.IsCancellationRequested)
            {
                Assert.Contains(id, RawRequests.MetadataBrokersV1(client));
                Assert.Equal(ErrorCodes.None, RawRequests.MetadataTopicV1(client, "stable").Error);
                _ = RawRequests.OffsetFetchV9(client, $"group-{served % 10}", null);
                served++;
            }

            return served;
        })).ToList();

        var round = 0;
        while (readers.Any(r => !r.IsCompleted))
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
        Assert.All(served, count => Assert.True(count == Rounds, $"only {count} of {Rounds} rounds served within the limit"));
        Assert.True(round > 0, "the state never changed while the brokers served");
        Assert.Empty(problems);
    }
}
