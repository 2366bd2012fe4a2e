using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// A gather that cannot read everything still writes everything it did read, says so in
/// kafka_collector and one E! line, and (with --once) exits 1.
/// </summary>
public sealed class PartialGatherTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Brokers = 3 });

    public PartialGatherTests()
    {
        _cluster.CreateTopic("spread", 6);
        for (var partition = 0; partition < 6; partition++)
        {
            _cluster.SetWatermarks("spread", partition, 0, 100 + partition);
        }
    }

    [Fact]
    public async Task One_broker_down_still_writes_the_rest_and_reports_the_failure()
    {
        var downBroker = _cluster.BrokerIds[1];
        _cluster.Faults.BrokerDown(downBroker);
        using var config = new PluginConfigFile(_cluster.BootstrapServers, timeout: "8s", requestTimeout: "2s");

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        var partitions = lines.Where(l => l.Measurement == "kafka_topic_partition").ToList();
        Assert.Equal(6, partitions.Count);
        // Partitions led by the live brokers still have their offsets; the dead broker's do not.
        Assert.Contains(partitions, p => p.Int("leader") == downBroker);
        Assert.Contains(partitions, p => p.Int("leader") != downBroker);
        Assert.All(partitions.Where(p => p.Int("leader") != downBroker), p => Assert.NotNull(p.Field("current_offset")));
        Assert.All(partitions.Where(p => p.Int("leader") == downBroker), p => Assert.Null(p.Field("current_offset")));
        var collector = Blocks.Collector(lines);
        Assert.True(collector.Int("errors") > 0);
        Assert.Equal(1, collector.Int("partial"));
        Assert.Single(run.Stderr, l => l.StartsWith("E! ", StringComparison.Ordinal));
        Assert.All(run.Stderr, ExecdContractTests.AssertTelegrafLogLine);
    }

    [Fact]
    public async Task No_reachable_broker_is_one_error_line_and_exit_1_within_the_timeout()
    {
        foreach (var broker in _cluster.BrokerIds)
        {
            _cluster.Faults.BrokerDown(broker);
        }
        using var config = new PluginConfigFile(_cluster.BootstrapServers, timeout: "3s", requestTimeout: "1s");

        var started = DateTime.UtcNow;
        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"took {DateTime.UtcNow - started}");
        var collector = Blocks.Collector(Blocks.Parse(run.Stdout));
        Assert.Equal(1, collector.Int("partial"));
        Assert.Equal(0, collector.Int("lines"));
        var error = Assert.Single(run.Stderr, l => l.StartsWith("E! ", StringComparison.Ordinal));
        Assert.Contains("metadata", error, StringComparison.Ordinal);
    }

    public void Dispose() => _cluster.Dispose();
}
