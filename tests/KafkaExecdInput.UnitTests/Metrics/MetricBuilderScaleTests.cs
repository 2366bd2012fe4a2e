using System.Diagnostics;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using KafkaExecdInput.UnitTests.Support;
using Xunit.Abstractions;

namespace KafkaExecdInput.UnitTests.Metrics;

/// <summary>A large cluster: 50,000 partitions and 5,000 groups with 30 committed partitions each.</summary>
public sealed class MetricBuilderScaleTests(ITestOutputHelper output)
{
    private const int Topics = 500;
    private const int PartitionsPerTopic = 100;
    private const int Groups = 5_000;
    private const int CommitsPerGroup = 30;

    private static ClusterSnapshot LargeSnapshot() => Snapshot(Topics, PartitionsPerTopic, Groups, CommitsPerGroup);

    private static ClusterSnapshot Snapshot(int topicCount, int partitionsPerTopic, int groupCount, int commitsPerGroup)
    {
        var watermarks = new WatermarkTable();
        var topics = new List<TopicInfo>(topicCount);
        for (int t = topicCount - 1; t >= 0; t--)
        {
            string name = $"topic-{t:D4}";
            var partitions = new PartitionInfo[partitionsPerTopic];
            for (int p = 0; p < partitionsPerTopic; p++)
            {
                int leader = p % 5;
                partitions[p] = new PartitionInfo(p, leader, [leader, (leader + 1) % 5, (leader + 2) % 5], [leader, (leader + 1) % 5]);
                watermarks.SetEarliest(name, p, p);
                watermarks.SetLatest(name, p, 1_000_000L + p);
            }

            topics.Add(new TopicInfo(name, partitions));
        }

        var groups = new List<ConsumerGroupInfo>(groupCount);
        for (int g = groupCount - 1; g >= 0; g--)
        {
            string topic = $"topic-{g % topicCount:D4}";
            var commits = new CommittedOffset[commitsPerGroup];
            for (int p = 0; p < commitsPerGroup; p++)
            {
                commits[p] = new CommittedOffset(topic, commitsPerGroup - 1 - p, 999_000L + p);
            }

            groups.Add(new ConsumerGroupInfo($"group-{g:D5}", "Stable", 3, commits));
        }

        // Every family on: DescribeCluster and the default topic configs too.
        var configs = topics.Select(t => new TopicConfigValues(t.Name,
        [
            new ConfigValue("retention.ms", "604800000"), new ConfigValue("retention.bytes", "-1"), new ConfigValue("cleanup.policy", "delete"),
            new ConfigValue("min.insync.replicas", "2"), new ConfigValue("segment.bytes", "1073741824"), new ConfigValue("max.message.bytes", "1048588"),
        ]));
        return new ClusterSnapshot
        {
            Metadata = new ClusterMetadata([new BrokerInfo(0, "b0", 9092), new BrokerInfo(1, "b1", 9092)], topics),
            Groups = groups,
            Watermarks = watermarks,
            Cluster = new ClusterDescription("cluster-1", 0, [new BrokerRack(0, "rack-a"), new BrokerRack(1, "rack-b")]),
            TopicConfigs = new TopicConfigTable(configs, [.. TopicConfigCatalog.DefaultKeys]),
        };
    }

    [Fact]
    public void Maps_a_large_cluster_with_next_to_no_allocation()
    {
        ClusterSnapshot snapshot = LargeSnapshot();
        var builder = new MetricBuilder(new RecordingLogger());
        using var writer = new LineProtocolWriter();
        var summary = new GatherSummary(TimeSpan.FromSeconds(2), 0);

        // Warm up: grows the writer's buffer and the builder's sort buffers, and lets the JIT tier up.
        for (int i = 0; i < 3; i++)
        {
            writer.Reset();
            builder.Write(snapshot, summary, 1, writer);
        }

        writer.Reset();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        int lines = builder.Write(snapshot, summary, 1, writer);
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        // Per group: members, one topic sum, its partitions, and two state lines. Then the cluster line,
        // the totals, per broker its role and rack, per topic its replication, config values and cleanup.policy.
        int expected = 1 + 2 + Topics + (Topics * PartitionsPerTopic) + Groups + Groups + (Groups * CommitsPerGroup) + (2 * Groups)
            + 1 + 1 + (2 * 2) + Topics + Topics + Topics + 1;
        Assert.Equal(expected, lines);
        output.WriteLine($"{lines:N0} lines, {writer.WrittenSpan.Length:N0} bytes in {clock.Elapsed.TotalMilliseconds:F1} ms, {allocated:N0} bytes allocated");

        // Allocation is deterministic and asserted; time is only reported (a timed unit test flakes on a
        // shared machine and proves nothing: speed claims come from tests/KafkaExecdInput.Benchmarks).
        Assert.True(allocated < 4 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_sizeable_output_parses_line_by_line()
    {
        using var writer = new LineProtocolWriter();
        new MetricBuilder(new RecordingLogger()).Write(Snapshot(50, 20, 200, 10), new GatherSummary(TimeSpan.FromSeconds(1), 0), 42, writer);

        IReadOnlyList<ParsedLine> lines = StrictLineParser.ParseAll(writer.WrittenSpan);

        Assert.Equal(writer.LinesWritten, lines.Count);
        Assert.All(lines, line => Assert.Equal(42, line.Timestamp));
    }
}
