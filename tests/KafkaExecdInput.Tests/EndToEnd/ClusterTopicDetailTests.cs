using KafkaExecdInput.Metrics;
using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// The cluster and topic detail families (issue 9) through the built executable, its worker and the real
/// Confluent.Kafka client against the test cluster: each fact from a known state, what each costs in
/// requests (counted by the cluster), what turning families off saves, and the faults that leave them out.
/// </summary>
public sealed class ClusterTopicDetailTests : IDisposable
{
    private static readonly string[] DetailMeasurements = ["kafka_cluster", "kafka_broker_role", "kafka_broker_rack", "kafka_topic_replication", "kafka_topic_config"];

    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Brokers = 3, Racks = ["rack-a", "rack-b", null] });

    public ClusterTopicDetailTests()
    {
        // orders: writes need 2 in-sync replicas; partition 1 has only its leader left (under min ISR).
        _cluster.CreateTopic("orders", 3, configs: new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        _cluster.SetPartition("orders", 1, [2, 3, 1], leader: 2, isr: [2]);
        // logs: compacted, an hour's retention; its partition 0 is led by a follower.
        _cluster.CreateTopic("logs", 2, configs: new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["retention.ms"] = "3600000" });
        _cluster.SetPartition("logs", 0, [1, 2, 3], leader: 2, isr: [1, 2, 3]);
        // legacy: one replica, offline.
        _cluster.CreateTopic("legacy", 1, replicationFactor: 1);
        _cluster.SetPartition("legacy", 0, [3], leader: -1, isr: []);
    }

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Every_cluster_and_topic_fact_matches_the_cluster_state_at_one_describe_request_each()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var (run, requests) = await RunCountingAsync(config);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        var controller = _cluster.ControllerId;
        string[] expected =
        [
            $"kafka_cluster,cluster_id={_cluster.ClusterId} controller_id={controller},info=1",
            "kafka_cluster, non_preferred_leader_partitions=1,offline_partitions=1,partitions=6,topics=3,under_min_isr_partitions=1,under_replicated_partitions=2",
            .. _cluster.BrokerIds.Select(id => $"kafka_broker_role,address={_cluster.BrokerAddress(id)},id={id} is_controller={(id == controller ? 1 : 0)}"),
            $"kafka_broker_rack,address={_cluster.BrokerAddress(1)},id=1,rack=rack-a info=1",
            $"kafka_broker_rack,address={_cluster.BrokerAddress(2)},id=2,rack=rack-b info=1",
            "kafka_topic_replication,topic=legacy factor=1,min_insync_replicas=1,offline_partitions=1,under_min_isr_partitions=0",
            "kafka_topic_replication,topic=logs factor=3,min_insync_replicas=1,offline_partitions=0,under_min_isr_partitions=0",
            "kafka_topic_replication,topic=orders factor=3,min_insync_replicas=2,offline_partitions=0,under_min_isr_partitions=1",
            "kafka_topic_config,topic=legacy max_message_bytes=1048588,min_insync_replicas=1,retention_bytes=-1,retention_ms=604800000,segment_bytes=1073741824",
            "kafka_topic_config,topic=logs max_message_bytes=1048588,min_insync_replicas=1,retention_bytes=-1,retention_ms=3600000,segment_bytes=1073741824",
            "kafka_topic_config,topic=orders max_message_bytes=1048588,min_insync_replicas=2,retention_bytes=-1,retention_ms=604800000,segment_bytes=1073741824",
            "kafka_topic_config,config=cleanup.policy,topic=legacy,value=delete info=1",
            "kafka_topic_config,config=cleanup.policy,topic=logs,value=compact info=1",
            "kafka_topic_config,config=cleanup.policy,topic=orders,value=delete info=1",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), lines.Where(IsDetail).Select(Normalize).Order(StringComparer.Ordinal));
        Assert.Equal(0, Blocks.Collector(lines).Int("errors"));
        // Batched: every topic's configs in one DescribeConfigs request. librdkafka 2.16's DescribeCluster
        // is a Metadata request (design.md §5), not API 60, so its cost hides among librdkafka's own
        // Metadata refreshes (whose number varies from run to run) and is not asserted here.
        Assert.Equal(1, requests[ApiKey.DescribeConfigs]);
        Assert.Equal(0, requests[ApiKey.DescribeCluster]);
    }

    [Fact]
    public async Task Excluded_families_cost_no_kafka_request_and_leave_the_kafka_exporter_lines_as_they_were()
    {
        using var all = new PluginConfigFile(_cluster.BootstrapServers);
        using var withoutDetail = new PluginConfigFile(_cluster.BootstrapServers,
            """  exclude_metrics = ["cluster_info", "cluster_totals", "broker_detail", "topic_replication", "topic_config"]""");
        // Every family but the brokers and topics ones, from the declarations, so that a family added later is off too.
        string[] keep = ["cluster", "broker", "topic"];
        var allButClusterLines = MetricFamilies.All.Where(f => f.CanBeTurnedOff && !keep.Contains(f.Name)).Select(f => $"\"{f.Name}\"");
        using var clusterOnly = new PluginConfigFile(_cluster.BootstrapServers, $"  exclude_metrics = [{string.Join(", ", allButClusterLines)}]");
        _cluster.SetGroup(new GroupSpec("billing", GroupState.Stable, [new MemberSpec("m1", "c1", "/10.0.0.1", [new("orders", 0)])]));
        _cluster.CommitOffset("billing", "orders", 0, 0);

        var (full, fullRequests) = await RunCountingAsync(all);
        var (reduced, reducedRequests) = await RunCountingAsync(withoutDetail);
        var (minimal, minimalRequests) = await RunCountingAsync(clusterOnly);

        Assert.True(full.ExitCode == 0 && reduced.ExitCode == 0 && minimal.ExitCode == 0, $"{full}\n{reduced}\n{minimal}");
        Assert.Equal(0, reducedRequests[ApiKey.DescribeConfigs]);
        Assert.Equal(1, fullRequests[ApiKey.DescribeConfigs]);
        Assert.DoesNotContain(Blocks.Parse(reduced.Stdout), IsDetail);
        // The kafka_exporter lines are the same with the new families on or off.
        Assert.Equal(
            Blocks.Parse(full.Stdout).Where(l => !IsDetail(l) && l.Measurement != "kafka_collector").Select(Normalize),
            Blocks.Parse(reduced.Stdout).Where(l => l.Measurement != "kafka_collector").Select(Normalize));

        // Only the brokers and topics families: one Metadata, and nothing about offsets or groups.
        Assert.All([ApiKey.DescribeConfigs, ApiKey.ListOffsets, ApiKey.ListGroups, ApiKey.OffsetFetch, ApiKey.DescribeGroups],
            api => Assert.True(minimalRequests[api] == 0, $"{api}: {minimalRequests[api]} requests"));
        Assert.Equal(["kafka", "kafka_broker", "kafka_topic", "kafka_collector"], Blocks.Parse(minimal.Stdout).Select(l => l.Measurement).Distinct());
    }

    [Fact]
    public async Task Topic_configs_are_read_once_per_interval_and_the_gathers_between_repeat_them()
    {
        for (var i = 0; i < 30; i++)
        {
            _cluster.CreateTopic($"many-{i:D2}", 1);
        }
        using var config = new PluginConfigFile(_cluster.BootstrapServers, """  topic_config_interval = "1h" """);
        var before = _cluster.Counters.Requests(ApiKey.DescribeConfigs);
        await using var session = ExecdSession.Start(config.Path);

        var first = await session.GatherAsync();
        _cluster.SetTopicConfig("logs", "retention.ms", "60000");
        var second = await session.GatherAsync();
        var third = await session.GatherAsync();

        Assert.All([first, second, third], gather => Assert.False(gather.Partial, gather.ToString()));
        // 33 topics, one request, and none in the two gathers after it.
        Assert.Equal(1, _cluster.Counters.Requests(ApiKey.DescribeConfigs) - before);
        Assert.All([first, second, third], gather =>
        {
            Assert.Equal(33, gather.Measurement("kafka_topic_config").Count(l => l.Tags.Count == 1));
            Assert.Equal(3_600_000, gather.Lines.Single("kafka_topic_config", ("topic", "logs")).Int("retention_ms"));
        });
    }

    [Fact]
    public async Task A_refresh_each_gather_sees_a_changed_config_on_the_next_gather()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, """  topic_config_interval = "1ms" """);
        var before = _cluster.Counters.Requests(ApiKey.DescribeConfigs);
        await using var session = ExecdSession.Start(config.Path);

        var first = await session.GatherAsync();
        _cluster.SetTopicConfig("logs", "retention.ms", "60000");
        var second = await session.GatherAsync();

        Assert.Equal(3_600_000, first.Lines.Single("kafka_topic_config", ("topic", "logs")).Int("retention_ms"));
        Assert.Equal(60_000, second.Lines.Single("kafka_topic_config", ("topic", "logs")).Int("retention_ms"));
        Assert.Equal(2, _cluster.Counters.Requests(ApiKey.DescribeConfigs) - before);
    }

    [Fact]
    public async Task Describe_configs_denied_is_one_warning_per_refresh_and_every_other_fact_is_still_written()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, """  topic_config_interval = "1h" """);
        _cluster.Faults.FailNext(ApiKey.DescribeConfigs, ErrorCodes.TopicAuthorizationFailed);
        await using var session = ExecdSession.Start(config.Path);

        var first = await session.GatherAsync();
        var second = await session.GatherAsync();
        var stderr = await session.StopAsync();

        Assert.All([first, second], gather =>
        {
            Assert.False(gather.Partial, gather.ToString());
            Assert.Empty(gather.Measurement("kafka_topic_config"));
            Assert.Single(gather.Measurement("kafka_cluster"), l => l.Tags.Count == 1);
            // Without min.insync.replicas the replication line has only what the metadata says.
            Assert.Null(gather.Lines.Single("kafka_topic_replication", ("topic", "orders")).Field("min_insync_replicas"));
            Assert.Equal(3, gather.Lines.Single("kafka_topic_replication", ("topic", "orders")).Int("factor"));
        });
        var warning = Assert.Single(stderr, l => l.StartsWith("W! ", StringComparison.Ordinal) && l.Contains("topic configs", StringComparison.Ordinal));
        Assert.Contains("TOPIC_AUTHORIZATION_FAILED", warning.ToUpperInvariant().Replace("TOPICAUTHORIZATIONFAILED", "TOPIC_AUTHORIZATION_FAILED", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(stderr, l => l.StartsWith("E! ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_topic_config_kafka_does_not_know_is_one_startup_warning()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, """  topic_configs = ["retention.ms", "retention.mss"]""");

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(run.Stderr, l => l.StartsWith("W! ", StringComparison.Ordinal));
        Assert.Contains("inputs.kafka.topic_configs", warning, StringComparison.Ordinal);
        Assert.Contains("\"retention.mss\"", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Blocks.Parse(run.Stdout), l => l.Measurement == "kafka_topic_config" && l.Tag("config") is not null);
    }

    private async Task<(PluginRun Run, Dictionary<ApiKey, long> Requests)> RunCountingAsync(PluginConfigFile config)
    {
        var before = Enum.GetValues<ApiKey>().ToDictionary(api => api, api => _cluster.Counters.Requests(api));
        var run = await PluginProcess.RunAsync(config.OnceArguments);
        return (run, Enum.GetValues<ApiKey>().ToDictionary(api => api, api => _cluster.Counters.Requests(api) - before[api]));
    }

    private static bool IsDetail(ParsedLine line) =>
        DetailMeasurements.Contains(line.Measurement) && !(line.Measurement == "kafka_broker");

    private static string Normalize(ParsedLine line) =>
        $"{line.Measurement},{string.Join(",", line.Tags.Select(t => $"{t.Key}={t.Value}"))} "
        + string.Join(",", line.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
}
