using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// The whole product against a cluster in a known state: the built executable, its worker process,
/// the real Confluent.Kafka client and the test cluster. Every measurement and field of the v1
/// schema (design.md §4) must come out with exactly the values the state implies.
/// </summary>
public sealed class KnownStateTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Brokers = 3 });

    public KnownStateTests()
    {
        _cluster.CreateTopic("orders", 3);
        _cluster.SetPartition("orders", 0, [1, 2, 3], leader: 1, isr: [1, 2, 3]);
        _cluster.SetPartition("orders", 1, [2, 3, 1], leader: 2, isr: [2, 3]);       // under-replicated
        _cluster.SetPartition("orders", 2, [3, 1, 2], leader: 1, isr: [3, 1, 2]);    // leader is not the preferred replica
        _cluster.SetWatermarks("orders", 0, 10, 100);
        _cluster.SetWatermarks("orders", 1, 0, 50);
        _cluster.SetWatermarks("orders", 2, 5, 5);
        _cluster.CreateTopic("offline", 1);
        _cluster.SetPartition("offline", 0, [2, 3, 1], leader: -1, isr: []);

        _cluster.SetGroup(new GroupSpec("billing", GroupState.Stable,
        [
            new MemberSpec("billing-a", "billing-client", "/10.0.0.1", [new("orders", 0), new("orders", 1)]),
            new MemberSpec("billing-b", "billing-client", "/10.0.0.2", [new("orders", 2)]),
        ]));
        _cluster.CommitOffset("billing", "orders", 0, 90);
        _cluster.CommitOffset("billing", "orders", 1, 50);
        _cluster.SetGroup(new GroupSpec("idle", GroupState.Empty, []));
        _cluster.CommitOffset("idle", "orders", 0, 40);
        _cluster.SetGroup(new GroupSpec("fresh", GroupState.Stable,
            [new MemberSpec("fresh-a", "fresh-client", "/10.0.0.3", [new("orders", 2)])]));
    }

    [Fact]
    public async Task Every_measurement_and_field_matches_the_cluster_state()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        var expected = Blocks.Parse(string.Join('\n', ExpectedLines()) + "\n");
        Assert.Equal(
            expected.Select(Normalize).Order(StringComparer.Ordinal),
            lines.Where(l => l.Measurement != "kafka_collector").Select(Normalize).Order(StringComparer.Ordinal));

        var collector = Blocks.Collector(lines);
        Assert.Equal(0, collector.Int("errors"));
        Assert.Equal(0, collector.Int("partial"));
        Assert.Equal(expected.Count, collector.Int("lines"));
        Assert.Single(lines.Select(l => l.Timestamp).Distinct());
        Assert.DoesNotContain(run.Stderr, line => line.StartsWith("E! ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Output_order_is_the_same_on_every_gather()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var first = await PluginProcess.RunAsync(config.OnceArguments);
        var second = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.Equal(WithoutVolatileParts(first.Stdout), WithoutVolatileParts(second.Stdout));
        var measurements = Blocks.Parse(first.Stdout).Select(l => l.Measurement).ToList();
        Assert.Equal(
            ["kafka", "kafka_broker", "kafka_topic", "kafka_topic_partition", "kafka_consumergroup", "kafka_consumergroup_state", "kafka_consumergroup_lag",
                "kafka_consumergroup_type", "kafka_consumergroup_protocol", "kafka_consumergroup_coordinator", "kafka_consumergroup_assignment",
                "kafka_consumergroup_partition_lag_status", "kafka_cluster", "kafka_broker_role", "kafka_topic_replication", "kafka_topic_config", "kafka_collector"],
            measurements.Distinct());
    }

    [Fact]
    public async Task Filters_drop_topics_and_groups_everywhere_they_appear()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, """
              topic_include = ["^ord"]
              group_include = ["i"]
              group_exclude = ["^fresh$"]
            """);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        Assert.Equal(["orders"], lines.Select(l => l.Tag("topic")).OfType<string>().Distinct());
        Assert.Equal(["billing", "idle"], lines.Select(l => l.Tag("consumergroup")).OfType<string>().Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_topic_excluded_by_the_filter_also_leaves_the_group_lines()
    {
        _cluster.CreateTopic("payments", 1);
        _cluster.SetWatermarks("payments", 0, 0, 10);
        _cluster.CommitOffset("billing", "payments", 0, 7);
        using var config = new PluginConfigFile(_cluster.BootstrapServers, """  topic_exclude = ["^pay"]""");

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(Blocks.Parse(run.Stdout), l => l.Tag("topic") == "payments");
    }

    [Fact]
    public async Task A_group_without_commits_reports_members_and_no_offsets()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        var fresh = Blocks.Parse(run.Stdout).Where(l => l.Measurement == "kafka_consumergroup" && l.Tag("consumergroup") == "fresh").ToList();
        var members = Assert.Single(fresh);
        Assert.Equal(1, members.Int("members"));
    }

    [Fact]
    public async Task Rebalancing_groups_report_their_state_through_the_real_client()
    {
        _cluster.SetGroup(new GroupSpec("joining", GroupState.PreparingRebalance,
            [new MemberSpec("joining-a", "joining-client", "/10.0.0.4", [])]));
        _cluster.SetGroup(new GroupSpec("syncing", GroupState.CompletingRebalance,
            [new MemberSpec("syncing-a", "syncing-client", "/10.0.0.5", [])]));
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        Assert.Equal(1, lines.Single("kafka_consumergroup_state", ("consumergroup", "joining")).Int("code"));
        Assert.Equal(2, lines.Single("kafka_consumergroup_state", ("consumergroup", "syncing")).Int("code"));
        Assert.Equal(1, lines.Single("kafka_consumergroup_state", ("consumergroup", "joining"), ("state", "PreparingRebalance")).Int("info"));
        Assert.Equal(1, lines.Single("kafka_consumergroup_state", ("consumergroup", "syncing"), ("state", "CompletingRebalance")).Int("info"));
        Assert.Equal(1, lines.Single("kafka_consumergroup", ("consumergroup", "syncing")).Int("members"));
    }

    private List<string> ExpectedLines()
    {
        var lines = new List<string> { "kafka brokers=3i 1" };
        foreach (var id in _cluster.BrokerIds)
        {
            lines.Add($"kafka_broker,address={_cluster.BrokerAddress(id)},id={id} info=1i 1");
        }
        lines.AddRange(
        [
            "kafka_topic,topic=offline partitions=1i 1",
            "kafka_topic,topic=orders partitions=3i 1",
            "kafka_topic_partition,partition=0,topic=offline leader=-1i,replicas=3i,in_sync_replica=0i,leader_is_preferred=0i,under_replicated_partition=1i 1",
            "kafka_topic_partition,partition=0,topic=orders current_offset=100i,oldest_offset=10i,leader=1i,replicas=3i,in_sync_replica=3i,leader_is_preferred=1i,under_replicated_partition=0i 1",
            "kafka_topic_partition,partition=1,topic=orders current_offset=50i,oldest_offset=0i,leader=2i,replicas=3i,in_sync_replica=2i,leader_is_preferred=1i,under_replicated_partition=1i 1",
            "kafka_topic_partition,partition=2,topic=orders current_offset=5i,oldest_offset=5i,leader=1i,replicas=3i,in_sync_replica=3i,leader_is_preferred=0i,under_replicated_partition=0i 1",
            "kafka_consumergroup,consumergroup=billing members=2i 1",
            "kafka_consumergroup,consumergroup=fresh members=1i 1",
            "kafka_consumergroup,consumergroup=idle members=0i 1",
            "kafka_consumergroup,consumergroup=billing,topic=orders current_offset_sum=140i,lag_sum=10i 1",
            "kafka_consumergroup,consumergroup=idle,topic=orders current_offset_sum=40i,lag_sum=60i 1",
            "kafka_consumergroup,consumergroup=billing,partition=0,topic=orders current_offset=90i,lag=10i 1",
            "kafka_consumergroup,consumergroup=billing,partition=1,topic=orders current_offset=50i,lag=0i 1",
            "kafka_consumergroup,consumergroup=idle,partition=0,topic=orders current_offset=40i,lag=60i 1",
            "kafka_consumergroup_state,consumergroup=billing code=3i 1",
            "kafka_consumergroup_state,consumergroup=fresh code=3i 1",
            "kafka_consumergroup_state,consumergroup=idle code=5i 1",
            "kafka_consumergroup_state,consumergroup=billing,state=Stable info=1i 1",
            "kafka_consumergroup_state,consumergroup=fresh,state=Stable info=1i 1",
            "kafka_consumergroup_state,consumergroup=idle,state=Empty info=1i 1",
            // Lag in seconds on the first gather: 0 where caught up; the lagging partitions have no history yet.
            "kafka_consumergroup_lag,consumergroup=billing,partition=1,topic=orders seconds=0,seconds_source=0i 1",
            // Lag status on the first gather: OK where caught up (a window of 1 of 10); the lagging partitions, and so
            // their groups, have no window to judge yet.
            "kafka_consumergroup_partition_lag_status,consumergroup=billing,partition=1,topic=orders complete=0.1,status=\"OK\",status_code=1i 1",
            // Group detail (issue 9): all three are classic; the empty group has no protocol and no members to own anything.
            "kafka_consumergroup_type,consumergroup=billing,type=classic info=1i 1",
            "kafka_consumergroup_type,consumergroup=fresh,type=classic info=1i 1",
            "kafka_consumergroup_type,consumergroup=idle,type=classic info=1i 1",
            "kafka_consumergroup_protocol,assignor=range,consumergroup=billing,protocol_type=consumer info=1i 1",
            "kafka_consumergroup_protocol,assignor=range,consumergroup=fresh,protocol_type=consumer info=1i 1",
            "kafka_consumergroup_assignment,consumergroup=billing partitions=3i,members_unassigned=0i,unowned_partitions=0i 1",
            "kafka_consumergroup_assignment,consumergroup=fresh partitions=1i,members_unassigned=0i,unowned_partitions=0i 1",
            "kafka_consumergroup_assignment,consumergroup=idle partitions=0i,members_unassigned=0i 1",
        ]);
        // Cluster and topic detail (issue 9): the test cluster's id and controller, no racks, Kafka's default configs.
        lines.Add($"kafka_cluster,cluster_id={_cluster.ClusterId} info=1i,controller_id={_cluster.ControllerId}i 1");
        lines.Add("kafka_cluster topics=2i,partitions=4i,offline_partitions=1i,under_replicated_partitions=2i,under_min_isr_partitions=0i,non_preferred_leader_partitions=1i 1");
        foreach (var id in _cluster.BrokerIds)
        {
            lines.Add($"kafka_broker_role,address={_cluster.BrokerAddress(id)},id={id} is_controller={(id == _cluster.ControllerId ? 1 : 0)}i 1");
        }
        foreach (var (topic, offline) in new[] { ("offline", 1), ("orders", 0) })
        {
            lines.Add($"kafka_topic_replication,topic={topic} factor=3i,offline_partitions={offline}i,under_min_isr_partitions=0i,min_insync_replicas=1i 1");
            lines.Add($"kafka_topic_config,topic={topic} max_message_bytes=1048588i,min_insync_replicas=1i,retention_bytes=-1i,retention_ms=604800000i,segment_bytes=1073741824i 1");
            lines.Add($"kafka_topic_config,config=cleanup.policy,topic={topic},value=delete info=1i 1");
        }
        foreach (var group in new[] { "billing", "fresh", "idle" })
        {
            lines.Add($"kafka_consumergroup_coordinator,consumergroup={group} id={_cluster.CoordinatorOf(group)}i 1");
        }
        return lines;
    }

    /// <summary>Measurement, tags and fields in a canonical order; the timestamp is compared separately.</summary>
    private static string Normalize(ParsedLine line) =>
        $"{line.Measurement},{string.Join(",", line.Tags.Select(t => $"{t.Key}={t.Value}"))} "
        + string.Join(",", line.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));

    private static string WithoutVolatileParts(string stdout) => string.Join('\n', stdout
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => !l.StartsWith("kafka_collector", StringComparison.Ordinal))
        .Select(l => l[..l.LastIndexOf(' ')]));

    public void Dispose() => _cluster.Dispose();
}
