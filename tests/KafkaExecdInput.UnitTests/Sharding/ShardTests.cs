using KafkaExecdInput.Configuration;
using KafkaExecdInput.Sharding;
using KafkaExecdInput.UnitTests.Support;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Sharding;

/// <summary>
/// The shard rules (README, Sharding): the hash is FNV-1a 32 as published, so every agent and every
/// version puts a name in the same shard; every name, partition and cluster-wide line has exactly one owner.
/// </summary>
public sealed class ShardTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Reference values of 32-bit FNV-1a (the test vectors of the FNV authors' reference code).</summary>
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void The_hash_is_32_bit_FNV_1a(string name, uint expected) => Assert.Equal(expected, StableHash.Fnv1a32(name));

    [Fact]
    public void The_hash_reads_a_name_as_UTF_8()
    {
        // "é" is two UTF-8 bytes, C3 A9: hashed byte by byte, not as one UTF-16 unit.
        uint expected = unchecked((((0x811c9dc5u ^ 0xC3u) * 16777619u) ^ 0xA9u) * 16777619u);
        Assert.Equal(expected, StableHash.Fnv1a32("é"));
        // Longer than the stack buffer.
        string longName = new('x', 1000);
        Assert.Equal(StableHash.Fnv1a32(longName), StableHash.Fnv1a32(new string('x', 1000)));
    }

    [Fact]
    public void Every_name_has_exactly_one_hash_shard_and_the_shards_share_the_names()
    {
        var shards = Enumerable.Range(1, 8).Select(k => new Shard.ByHash(k, 8)).ToList();
        var names = Enumerable.Range(0, 4000).Select(i => $"consumer-group-{i}").ToList();

        Assert.All(names, name => Assert.Single(shards, s => s.OwnsGroup(name, coordinator: -1)));
        var perShard = shards.Select(s => names.Count(s.Owns)).ToList();
        Assert.All(perShard, count => Assert.InRange(count, 400, 600));
    }

    [Fact]
    public void Shard_1_of_n_writes_the_cluster_lines_and_a_topic_goes_whole_to_one_shard()
    {
        var metadata = Metadata([1, 2, 3], ("orders", [1, 2, 3]));
        var scopes = Enumerable.Range(1, 3).Select(k => new Shard.ByHash(k, 3).For(metadata)).ToList();

        Assert.True(scopes[0].OwnsClusterLines);
        Assert.False(scopes[1].OwnsClusterLines || scopes[2].OwnsClusterLines);
        var owner = Assert.Single(scopes, s => s.OwnsTopic("orders"));
        Assert.True(owner.OwnsPartition("orders", 1) && owner.OwnsPartition("orders", 2) && owner.OwnsPartition("orders", -1));
    }

    [Fact]
    public void By_broker_a_partition_goes_to_its_leader_and_what_no_listed_broker_leads_to_the_lowest_id()
    {
        var metadata = Metadata([2, 3, 5], ("orders", [2, 3, 5]));
        var scopes = new[] { 2, 3, 5 }.ToDictionary(id => id, id => new Shard.ByBroker(id).For(metadata));

        Assert.Equal([2], scopes.Where(s => s.Value.OwnsClusterLines).Select(s => s.Key));
        Assert.Equal([2], scopes.Where(s => s.Value.OwnsTopic("orders")).Select(s => s.Key));
        Assert.Equal([3], scopes.Where(s => s.Value.OwnsPartition("orders", 3)).Select(s => s.Key));
        Assert.Equal([2], scopes.Where(s => s.Value.OwnsPartition("orders", -1)).Select(s => s.Key));   // offline
        Assert.Equal([2], scopes.Where(s => s.Value.OwnsPartition("orders", 4)).Select(s => s.Key));    // leader not listed
    }

    [Fact]
    public void By_broker_a_group_goes_to_its_coordinator_and_a_group_without_one_to_no_shard()
    {
        var shard = new Shard.ByBroker(3);

        Assert.True(shard.OwnsGroup("billing", coordinator: 3));
        Assert.False(shard.OwnsGroup("billing", coordinator: 1));
        Assert.False(shard.OwnsGroup("billing", coordinator: -1));
        Assert.True(shard.MayOwnGroup("billing"));
    }

    [Fact]
    public void When_the_lowest_broker_leaves_the_metadata_the_next_takes_the_cluster_lines()
    {
        Assert.True(new Shard.ByBroker(2).OwnsClusterLines(Metadata([2, 3])));
        Assert.False(new Shard.ByBroker(2).OwnsClusterLines(Metadata([1, 2, 3])));
    }

    [Theory]
    [InlineData("shard = \"2/8\"", "hash 2/8")]
    [InlineData("shard = \"1/1\"", "hash 1/1")]
    [InlineData("shard_by_broker = 0", "broker 0")]
    [InlineData("", "whole")]
    public void The_configuration_names_the_shard_the_worker_gets(string option, string expected)
    {
        PluginConfig config = _dir.Load($"[[inputs.kafka]]\nbrokers = [\"k:1\"]\n{option}\n");
        var settings = ReaderSettings.For(config, LibrdkafkaSettings.Build(config));

        // It crosses the process boundary with the worker's settings.
        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        MessageCodec.Write(frame, new StartWorker(MessageCodec.ProtocolVersion, settings));
        var received = Assert.IsType<StartWorker>(MessageCodec.ReadParentMessage(frame.WrittenSpan)).Settings.ShardOrWhole;

        Assert.Equal(expected, received switch
        {
            Shard.ByHash h => $"hash {h.Index}/{h.Count}",
            Shard.ByBroker b => $"broker {b.BrokerId}",
            _ => received.IsWhole ? "whole" : "?",
        });
    }

    [Fact]
    public void Both_ways_of_sharding_at_once_is_one_error()
    {
        Assert.Equal(
            $"{_dir.ConfigPath}:4: inputs.kafka.shard_by_broker: cannot be combined with shard: split the cluster by hash or by broker, not both",
            Assert.Single(_dir.Errors("[[inputs.kafka]]\nbrokers = [\"k:1\"]\nshard = \"1/2\"\nshard_by_broker = 1\n")));
    }

    private static ClusterMetadata Metadata(int[] brokers, params (string Topic, int[] Leaders)[] topics) => new(
        [.. brokers.Select(id => new BrokerInfo(id, "h", 9092))],
        [.. topics.Select(t => new TopicInfo(t.Topic, [.. t.Leaders.Select((leader, p) => new PartitionInfo(p, leader, [leader], [leader]))]))]);
}
