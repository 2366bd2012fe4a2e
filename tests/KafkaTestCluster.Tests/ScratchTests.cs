using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Xunit.Abstractions;

namespace KafkaTestCluster.Tests;

public class ScratchTests(ITestOutputHelper output0)
{
    private sealed class Out(ITestOutputHelper o) { public void WriteLine(string s) { o.WriteLine(s); File.AppendAllText("/tmp/scratch.log", s + "\n"); } }
    private readonly Out output = new(output0);
    [Fact]
    public async Task Discover()
    {
        using var cluster = TestCluster.Start(new ClusterOptions { Log = output.WriteLine });
        cluster.CreateTopic("t1", 3);
        cluster.SetWatermarks("t1", 0, 5, 100);
        cluster.SetGroup(new GroupSpec("g1", GroupState.Stable, [new MemberSpec("m1", "c1", "/127.0.0.1", [new("t1", 0), new("t1", 1)])]));
        cluster.CommitOffset("g1", "t1", 0, 42);
        var config = new AdminClientConfig { BootstrapServers = cluster.BootstrapServers, Debug = "protocol" };
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, m) => { if (m.Message.Contains("Sent ") || m.Message.Contains("Received ")) output.WriteLine(m.Message); }).Build();
        var md = admin.GetMetadata(TimeSpan.FromSeconds(5));
        var dc = await admin.DescribeClusterAsync();
        output.WriteLine($"cluster {dc.ClusterId} controller {dc.Controller?.Id} nodes {dc.Nodes.Count}");
        var lo = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new("t1", 0), OffsetSpec = OffsetSpec.Latest() }, new TopicPartitionOffsetSpec { TopicPartition = new("t1", 1), OffsetSpec = OffsetSpec.Earliest() }]);
        foreach (var r in lo.ResultInfos) output.WriteLine($"lo {r.TopicPartitionOffsetError}");
        var lg = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Stable] });
        foreach (var g in lg.Valid) output.WriteLine($"lg {g.GroupId} {g.State} {g.IsSimpleConsumerGroup}");
        var dg = await admin.DescribeConsumerGroupsAsync(["g1"]);
        foreach (var g in dg.ConsumerGroupDescriptions) { output.WriteLine($"dg {g.GroupId} {g.State} {g.PartitionAssignor} {g.Coordinator?.Id}"); foreach (var m in g.Members) output.WriteLine($"  m {m.ConsumerId} {m.ClientId} {m.Host} {string.Join(",", m.Assignment.TopicPartitions)}"); }
        var lco = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("g1", null)]);
        foreach (var g in lco) foreach (var p in g.Partitions) output.WriteLine($"lco {p}");
        var cfg = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "t1" }, new ConfigResource { Type = ResourceType.Broker, Name = "1" }]);
        foreach (var c in cfg) output.WriteLine($"cfg {c.ConfigResource} {c.Entries.Count} {c.Entries.GetValueOrDefault("retention.ms")?.Value}");
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "t2", NumPartitions = 2, ReplicationFactor = 2, Configs = new() { ["retention.ms"] = "1000" } }]);
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("g2", [new TopicPartitionOffset("t1", 1, 7)])]);
        await admin.DeleteRecordsAsync([new TopicPartitionOffset("t1", 0, 10)]);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, Debug = "protocol" }).SetLogHandler((_, m) => output.WriteLine("P " + m.Message)).Build();
        var dr = await producer.ProduceAsync(new TopicPartition("t2", 0), new Message<Null, string> { Value = "hello" });
        output.WriteLine($"produced {dr.TopicPartitionOffset}");
    }
}
