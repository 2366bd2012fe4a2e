using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;
using KafkaTestCluster;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Sharding;

/// <summary>
/// Sharding (README, Sharding) through the built executable, the real Confluent.Kafka client and the
/// test cluster: N agents, each one shard, together write the unsharded output line for line and
/// each line once, and each costs fewer Kafka requests than one agent collecting everything.
/// </summary>
public sealed class ShardingTests(ITestOutputHelper output) : IDisposable
{
    private const int Shards = 3;

    private readonly TestCluster _cluster = Build();

    /// <summary>
    /// Three brokers; topics whose partitions have different leaders, one offline partition, groups that
    /// commit on partitions of several topics (so a group's lag needs offsets of partitions another shard
    /// owns), a group without commits, and a commit lagging on every topic.
    /// </summary>
    private static TestCluster Build()
    {
        var cluster = TestCluster.Start(new ClusterOptions { Brokers = 3 });
        var ids = cluster.BrokerIds;
        string[] topics = ["orders", "payments", "audit", "clicks", "ledger"];
        for (var t = 0; t < topics.Length; t++)
        {
            cluster.CreateTopic(topics[t], 4);
            for (var p = 0; p < 4; p++)
            {
                var leader = ids[(t + p) % ids.Count];
                cluster.SetPartition(topics[t], p, [leader, ids[(t + p + 1) % ids.Count], ids[(t + p + 2) % ids.Count]], leader: leader,
                    isr: [leader, ids[(t + p + 1) % ids.Count], ids[(t + p + 2) % ids.Count]]);
                cluster.SetWatermarks(topics[t], p, 10 * p, 1000 + (100 * t) + p);
            }
        }
        cluster.CreateTopic("offline", 1);
        cluster.SetPartition("offline", 0, [ids[1], ids[2], ids[0]], leader: -1, isr: []);

        for (var g = 0; g < 12; g++)
        {
            var group = $"group-{g:00}";
            cluster.SetGroup(new GroupSpec(group, g % 3 == 0 ? GroupState.Empty : GroupState.Stable,
                g % 3 == 0 ? [] : [new MemberSpec($"{group}-a", "client", "/10.0.0.1", [new(topics[g % topics.Length], 0)])]));
            if (g == 11)
            {
                continue; // a group without commits
            }
            for (var t = 0; t < 3; t++)
            {
                var topic = topics[(g + t) % topics.Length];
                for (var p = 0; p < 4; p += 1 + (g % 2))
                {
                    cluster.CommitOffset(group, topic, p, 900 + (10 * g) + p);
                }
            }
        }
        return cluster;
    }

    public static TheoryData<string> Modes() => ["hash", "broker"];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task The_union_of_the_shards_is_the_unsharded_output_line_for_line_with_no_duplicates(string mode)
    {
        var whole = await RunOnceAsync("");
        var shards = new List<IReadOnlyList<ParsedLine>>();
        foreach (var setting in ShardSettings(mode))
        {
            shards.Add(await RunOnceAsync(setting));
        }

        var expected = DataLines(whole).Where(l => !IsLagSeconds(l)).Select(Normalize).Order(StringComparer.Ordinal).ToList();
        var union = shards.SelectMany(DataLines).Where(l => !IsLagSeconds(l)).Select(Normalize).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count > 150, $"the cluster should give a sizeable output, got {expected.Count} lines");
        Assert.Equal(expected, union);
        Assert.Equal(union.Count, union.Distinct().Count());

        // Lag in seconds is estimated per process (README, Sharding): compared on its own. On a first
        // gather it is the caught-up partitions' 0, the same whichever process writes it.
        Assert.Equal(
            DataLines(whole).Where(IsLagSeconds).Select(Normalize).Order(StringComparer.Ordinal),
            shards.SelectMany(DataLines).Where(IsLagSeconds).Select(Normalize).Order(StringComparer.Ordinal));

        for (var s = 0; s < shards.Count; s++)
        {
            var collector = Blocks.Collector(shards[s]);
            Assert.Equal(0, collector.Int("errors"));
            Assert.True(DataLines(shards[s]).Any(), $"shard {s + 1} wrote nothing");
        }
        // Exactly one shard writes the cluster-wide lines.
        Assert.Single(shards, s => s.Any(l => l.Measurement == "kafka"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Each_shard_costs_fewer_requests_than_the_whole_and_fetches_each_group_once(string mode)
    {
        _cluster.Counters.Reset();
        await RunOnceAsync("");
        var whole = _cluster.Counters.RequestsByApi();
        var wholeTotal = whole.Values.Sum();
        var wholeFetches = whole.GetValueOrDefault(ApiKey.OffsetFetch);
        output.WriteLine($"whole: {Describe(whole)}");

        long fetchesOfShards = 0;
        foreach (var setting in ShardSettings(mode))
        {
            _cluster.Counters.Reset();
            await RunOnceAsync(setting);
            var shard = _cluster.Counters.RequestsByApi();
            output.WriteLine($"{setting.Trim()}: {Describe(shard)}");
            Assert.True(shard.Values.Sum() < wholeTotal, $"{setting.Trim()}: {shard.Values.Sum()} requests, the whole {wholeTotal}");
            Assert.True(shard.GetValueOrDefault(ApiKey.OffsetFetch) < wholeFetches, $"{setting.Trim()}: offset fetches");
            Assert.True(shard.GetValueOrDefault(ApiKey.ListOffsets) <= whole.GetValueOrDefault(ApiKey.ListOffsets), $"{setting.Trim()}: ListOffsets");
            fetchesOfShards += shard.GetValueOrDefault(ApiKey.OffsetFetch);
        }
        // One offset fetch per group, whichever shard makes it: every group is fetched exactly once.
        Assert.Equal(wholeFetches, fetchesOfShards);
    }

    [Fact]
    public async Task A_coordinator_move_between_gathers_neither_loses_nor_duplicates_the_group()
    {
        const string Moved = "group-04";
        var configs = _cluster.BrokerIds.Select(id => new PluginConfigFile(_cluster.BootstrapServers, $"  shard_by_broker = {id}")).ToList();
        var sessions = configs.Select(c => ExecdSession.Start(c.Path)).ToList();
        try
        {
            var from = _cluster.CoordinatorOf(Moved);
            var to = _cluster.BrokerIds.First(id => id != from);
            var before = await GatherAllAsync(sessions);
            Assert.Equal([from], ShardsWriting(before, Moved));

            _cluster.Faults.MoveCoordinator(Moved, to);
            _cluster.Counters.Reset();
            var after = await GatherAllAsync(sessions);

            // The shard the group left knows it moved (the listing names its new coordinator) and does not
            // describe it one by one as if the listing had missed it (that would be ConsumerGroupDescribe).
            Assert.Equal(0, _cluster.Counters.Requests(ApiKey.ConsumerGroupDescribe));

            Assert.Equal([to], ShardsWriting(after, Moved));
            // The same lines as before the move, each once: the group's lines moved from one shard to the other.
            // The moved group's coordinator line is the one that must change: it names the new coordinator.
            bool IsMovedCoordinator(ParsedLine l) => l.Measurement == "kafka_consumergroup_coordinator" && l.Tag("consumergroup") == Moved;
            Assert.Equal((long)to, Assert.Single(after.SelectMany(g => DataLines(g.Lines)), IsMovedCoordinator).Field("id"));
            var beforeLines = before.SelectMany(g => DataLines(g.Lines)).Where(l => !IsLagSeconds(l) && !IsMovedCoordinator(l)).Select(Normalize).Order(StringComparer.Ordinal).ToList();
            var afterLines = after.SelectMany(g => DataLines(g.Lines)).Where(l => !IsLagSeconds(l) && !IsMovedCoordinator(l)).Select(Normalize).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(beforeLines, afterLines);
            Assert.Equal(afterLines.Count, afterLines.Distinct().Count());
            Assert.Contains(afterLines, l => l.StartsWith($"kafka_consumergroup,consumergroup={Moved},partition=", StringComparison.Ordinal));
            Assert.All(after, g => Assert.Equal(0, g.Errors));
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.StopAsync();
                await session.DisposeAsync();
            }
            configs.ForEach(c => c.Dispose());
        }
    }

    /// <summary>One gather of every session, asked of all at once as their Telegrafs would on the same interval.</summary>
    private static async Task<IReadOnlyList<Gather>> GatherAllAsync(IReadOnlyList<ExecdSession> sessions) =>
        await Task.WhenAll(sessions.Select(s => s.GatherAsync()));

    /// <summary>The indexes of the shards whose gather wrote the group's members line.</summary>
    private static List<int> ShardsWritingIndexes(IReadOnlyList<Gather> gathers, string group) =>
        [.. gathers.Select((g, i) => (g, i)).Where(x => x.g.Lines.Any(l => l.Measurement == "kafka_consumergroup" && l.Tag("consumergroup") == group)).Select(x => x.i)];

    private List<int> ShardsWriting(IReadOnlyList<Gather> gathers, string group) =>
        [.. ShardsWritingIndexes(gathers, group).Select(i => _cluster.BrokerIds[i])];

    private async Task<IReadOnlyList<ParsedLine>> RunOnceAsync(string settings)
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, settings);
        var run = await PluginProcess.RunAsync(config.OnceArguments);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(run.Stderr, line => line.StartsWith("E! ", StringComparison.Ordinal));
        return Blocks.Parse(run.Stdout);
    }

    private IEnumerable<string> ShardSettings(string mode) => mode == "hash"
        ? Enumerable.Range(1, Shards).Select(k => $"  shard = \"{k}/{Shards}\"")
        : _cluster.BrokerIds.Select(id => $"  shard_by_broker = {id}");

    private static IEnumerable<ParsedLine> DataLines(IReadOnlyList<ParsedLine> lines) => lines.Where(l => l.Measurement != "kafka_collector");

    /// <summary>
    /// Lines computed from the per-process history (lag in seconds, lag status): they restart in the agent a
    /// group moves to, as after a plugin restart (README, Sharding), so they are compared apart.
    /// </summary>
    private static bool IsLagSeconds(ParsedLine line) =>
        line.Measurement is "kafka_consumergroup_lag" or "kafka_consumergroup_lag_status" or "kafka_consumergroup_partition_lag_status";

    private static string Describe(IReadOnlyDictionary<ApiKey, long> requests) =>
        string.Join(", ", requests.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")) + $"; total {requests.Values.Sum()}";

    /// <summary>Measurement, tags and fields in a canonical order, without the timestamp (each process gathers at its own time).</summary>
    internal static string Normalize(ParsedLine line) =>
        $"{line.Measurement},{string.Join(",", line.Tags.Select(t => $"{t.Key}={t.Value}"))} "
        + string.Join(",", line.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));

    public void Dispose() => _cluster.Dispose();
}
