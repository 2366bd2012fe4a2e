using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// kafka_exporter reads high watermarks before committed offsets, so a commit that lands in
/// between shows up as negative lag. This plugin reads committed offsets first: whatever commits
/// land during a gather, no committed offset it reports is above the latest offset it reports.
/// </summary>
public sealed class LagOrderingTests : IDisposable
{
    private const int Partitions = 4;
    private readonly TestCluster _cluster = TestCluster.Start();

    [Fact]
    public async Task Commits_landing_during_a_gather_never_overtake_the_reported_latest_offset()
    {
        _cluster.CreateTopic("busy", Partitions);
        _cluster.SetGroup(new GroupSpec("fast-consumer", GroupState.Stable,
            [new MemberSpec("m-1", "client", "/10.0.0.1", [.. Enumerable.Range(0, Partitions).Select(p => new TopicPartitionRef("busy", p))])]));
        // Widen the window between the two reads so that commits certainly land inside it.
        _cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(150), api: ApiKey.ListOffsets);
        using var config = new PluginConfigFile(_cluster.BootstrapServers);
        using var stop = new CancellationTokenSource();
        var producerAndConsumer = Task.Run(() => ProduceAndCommitAsync(stop.Token));

        await using var plugin = PluginProcess.Start(["--config", config.Path]);
        var blocks = new BlockReader(plugin);
        var comparisons = 0;
        for (var gather = 0; gather < 8; gather++)
        {
            await plugin.Stdin.WriteAsync("\n"u8.ToArray());
            await plugin.Stdin.FlushAsync();
            var lines = Blocks.Parse((await blocks.NextBlockAsync(TimeSpan.FromSeconds(30)))!);
            for (var partition = 0; partition < Partitions; partition++)
            {
                var tags = new[] { ("partition", partition.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("topic", "busy") };
                var latest = lines.Single("kafka_topic_partition", tags).Int("current_offset");
                var group = lines.Where("kafka_consumergroup", [("consumergroup", "fast-consumer"), .. tags]).SingleOrDefault();
                if (group is null)
                {
                    continue; // nothing committed on this partition yet
                }
                Assert.True(group.Int("current_offset") <= latest,
                    $"gather {gather}, partition {partition}: committed {group.Int("current_offset")} > latest {latest}");
                Assert.Equal(latest - group.Int("current_offset"), group.Int("lag"));
                comparisons++;
            }
        }
        await stop.CancelAsync();
        await producerAndConsumer;
        Assert.True(comparisons >= 8 * Partitions / 2, $"only {comparisons} committed partitions were compared");
    }

    /// <summary>A producer and a consumer that is always fully caught up: it commits the latest offset.</summary>
    private async Task ProduceAndCommitAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            for (var partition = 0; partition < Partitions; partition++)
            {
                _cluster.AdvanceHighWatermark("busy", partition, 7);
                _cluster.CommitOffset("fast-consumer", "busy", partition, _cluster.GetWatermarks("busy", partition).High);
            }
            await Task.Delay(5, CancellationToken.None);
        }
    }

    public void Dispose() => _cluster.Dispose();
}
