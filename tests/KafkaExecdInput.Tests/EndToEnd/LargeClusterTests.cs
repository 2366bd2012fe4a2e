using KafkaExecdInput.Kafka;
using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// A leader with more partitions than one ListOffsets call takes (WatermarksReader.ListOffsetsBatchSize): the
/// offsets are read in several calls, and every partition still gets both of its offsets, exactly.
/// </summary>
public sealed class LargeClusterTests : IDisposable
{
    private const int Topics = 250;
    private const int PartitionsPerTopic = 10;

    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Brokers = 1 });

    public LargeClusterTests()
    {
        for (var t = 0; t < Topics; t++)
        {
            _cluster.CreateTopic($"t{t:D4}", PartitionsPerTopic, replicationFactor: 1);
            for (var p = 0; p < PartitionsPerTopic; p++)
            {
                _cluster.SetWatermarks($"t{t:D4}", p, low: t, high: 100_000 + (t * PartitionsPerTopic) + p);
            }
        }
    }

    [Fact]
    public async Task Offsets_of_a_leader_with_more_partitions_than_one_call_takes_are_all_read()
    {
        const int partitions = Topics * PartitionsPerTopic;
        Assert.True(partitions > WatermarksReader.ListOffsetsBatchSize);
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout).Where(l => l.Measurement == "kafka_topic_partition").ToList();
        Assert.Equal(partitions, lines.Count);
        foreach (var line in lines)
        {
            var t = int.Parse(line.Tag("topic")![1..], System.Globalization.CultureInfo.InvariantCulture);
            var p = int.Parse(line.Tag("partition")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(t, line.Int("oldest_offset"));
            Assert.Equal(100_000 + (t * PartitionsPerTopic) + p, line.Int("current_offset"));
        }

        var calls = (partitions + WatermarksReader.ListOffsetsBatchSize - 1) / WatermarksReader.ListOffsetsBatchSize;
        Assert.Equal(2 * calls, _cluster.Counters.Requests(ApiKey.ListOffsets));
    }

    public void Dispose() => _cluster.Dispose();
}
