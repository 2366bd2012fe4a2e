using Confluent.Kafka;
using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// Issue 9 part 4: the whole product against a cluster that answers like Kafka 4, with a classic group and
/// KIP-848 consumer-type groups (group.protocol=consumer) side by side. A user needs the consumer group's
/// real member count and its lag, exactly as for a classic group.
/// </summary>
/// <remarks>
/// Today the plugin lists groups with librdkafka's classic ListGroups (IAdminClient.ListGroups), which sends
/// ListGroups v0 and describes with DescribeGroups v0; Kafka 4 answers that "Dead", protocol type "", no
/// members and no error for a group that is not classic. Observed (exit 0, nothing on stderr) with the
/// plugin at the commit that added this file, one --once gather, timestamps cut:
/// <code>
/// kafka_consumergroup,consumergroup=billing members=2i
/// kafka_consumergroup,consumergroup=payments members=0i
/// kafka_consumergroup,consumergroup=refunds members=0i
/// kafka_consumergroup,consumergroup=billing,topic=orders current_offset_sum=170i,lag_sum=10i
/// kafka_consumergroup,consumergroup=payments,topic=orders current_offset_sum=180i,lag_sum=50i
/// kafka_consumergroup,consumergroup=billing,partition=0,topic=orders current_offset=90i,lag=10i
/// kafka_consumergroup,consumergroup=billing,partition=1,topic=orders current_offset=80i,lag=0i
/// kafka_consumergroup,consumergroup=payments,partition=0,topic=orders current_offset=70i,lag=30i
/// kafka_consumergroup,consumergroup=payments,partition=1,topic=orders current_offset=60i,lag=20i
/// kafka_consumergroup,consumergroup=payments,partition=2,topic=orders current_offset=50i,lag=0i
/// kafka_collector gather_duration_seconds=0.47,errors=0i,lines=18i,partial=0i,worker_restarts=0i
/// </code>
/// So the consumer groups are not dropped, but their member counts are wrong (0 instead of 2 and 1) while
/// the gather claims to be complete; their lag lines are right, since OffsetFetch works for both kinds.
/// Before the fix the first test failed on its first assertion (members expected 2, actual 0). The fix
/// (Kafka/GroupListingReader.IsDescribed) describes again, with DescribeConsumerGroups, every group the
/// classic listing calls Dead; librdkafka then asks ConsumerGroupDescribe. What the classic listing
/// alone says is kept as a test (<see cref="The_classic_listing_alone_reports_a_consumer_protocol_group_as_dead_with_no_members"/>),
/// so a librdkafka upgrade that changes it shows here.
/// </remarks>
public sealed class ConsumerProtocolGroupTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Brokers = 3 });

    public ConsumerProtocolGroupTests()
    {
        _cluster.CreateTopic("orders", 3);
        _cluster.SetWatermarks("orders", 0, 0, 100);
        _cluster.SetWatermarks("orders", 1, 0, 80);
        _cluster.SetWatermarks("orders", 2, 0, 50);

        _cluster.SetGroup(new GroupSpec("billing", GroupState.Stable,
        [
            new MemberSpec("billing-a", "billing-client", "/10.0.0.1", [new("orders", 0), new("orders", 1)]),
            new MemberSpec("billing-b", "billing-client", "/10.0.0.2", [new("orders", 2)]),
        ]));
        _cluster.CommitOffset("billing", "orders", 0, 90);
        _cluster.CommitOffset("billing", "orders", 1, 80);

        _cluster.SetConsumerGroup(new ConsumerGroupSpec("payments", ConsumerProtocolGroupState.Stable,
        [
            new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAQ", "payments-client", "/10.0.0.3", ["orders"], [new("orders", 0), new("orders", 1)]),
            new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAg", "payments-client", "/10.0.0.4", ["orders"], [new("orders", 2)]),
        ]));
        _cluster.CommitOffset("payments", "orders", 0, 70);
        _cluster.CommitOffset("payments", "orders", 1, 60);
        _cluster.CommitOffset("payments", "orders", 2, 50);

        // Classic and Stable: one member owns orders/0, the other nothing; it also committed orders/2, which nobody owns.
        _cluster.SetGroup(new GroupSpec("audit", GroupState.Stable,
        [
            new MemberSpec("audit-a", "audit-client", "/10.0.0.6", [new("orders", 0)]),
            new MemberSpec("audit-b", "audit-client", "/10.0.0.7", []),
        ], Protocol: "cooperative-sticky"));
        _cluster.CommitOffset("audit", "orders", 0, 100);
        _cluster.CommitOffset("audit", "orders", 2, 40);

        // Mid-rebalance (a KIP-848 state librdkafka 2.16 reports as Unknown), no commits yet.
        _cluster.SetConsumerGroup(new ConsumerGroupSpec("refunds", ConsumerProtocolGroupState.Reconciling,
            [new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAw", "refunds-client", "/10.0.0.5", ["orders"], [new("orders", 0)], [new("orders", 0), new("orders", 1)])]));
    }

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task A_consumer_protocol_group_reports_its_real_member_count_and_lag()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        Assert.Equal(2, lines.Single("kafka_consumergroup", ("consumergroup", "payments")).Int("members"));
        Assert.Equal(1, lines.Single("kafka_consumergroup", ("consumergroup", "refunds")).Int("members"));
        var sums = lines.Single("kafka_consumergroup", ("consumergroup", "payments"), ("topic", "orders"));
        Assert.Equal((180, 50), (sums.Int("current_offset_sum"), sums.Int("lag_sum")));
        Assert.Equal(
            [("0", 70L, 30L), ("1", 60L, 20L), ("2", 50L, 0L)],
            PartitionLag(lines, "payments"));
        Assert.DoesNotContain(lines, l => l.Tag("consumergroup") == "refunds" && l.Tag("topic") is not null);
        Assert.Equal(0, Blocks.Collector(lines).Int("partial"));
        Assert.DoesNotContain(run.Stderr, line => line.StartsWith("E! ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_consumer_protocol_groups_cost_a_ConsumerGroupDescribe_request()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        // librdkafka sends one ConsumerGroupDescribe per group it is asked to describe; the classic group
        // "billing" is described by the listing's DescribeGroups and never asked again.
        Assert.Equal(2, _cluster.Counters.Requests(ApiKey.ConsumerGroupDescribe));
    }

    [Fact]
    public async Task Each_group_reports_its_type_protocol_assignor_and_coordinator()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        Assert.Equal(
            [("audit", "classic"), ("billing", "classic"), ("payments", "consumer"), ("refunds", "consumer")],
            lines.Where(l => l.Measurement == "kafka_consumergroup_type").Select(l => (l.Tag("consumergroup")!, l.Tag("type")!)).Order());
        Assert.Equal(
            [("audit", "cooperative-sticky", "consumer"), ("billing", "range", "consumer"), ("payments", "uniform", "consumer"), ("refunds", "uniform", "consumer")],
            lines.Where(l => l.Measurement == "kafka_consumergroup_protocol")
                .Select(l => (l.Tag("consumergroup")!, l.Tag("assignor")!, l.Tag("protocol_type")!)).Order());
        foreach (var group in new[] { "audit", "billing", "payments", "refunds" })
        {
            Assert.Equal(_cluster.CoordinatorOf(group), lines.Single("kafka_consumergroup_coordinator", ("consumergroup", group)).Int("id"));
        }
    }

    [Fact]
    public async Task Each_group_reports_its_assigned_partitions_unassigned_members_and_unowned_commits()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        (long, long, long?) Assignment(string group)
        {
            var line = lines.Single("kafka_consumergroup_assignment", ("consumergroup", group));
            return (line.Int("partitions"), line.Int("members_unassigned"), line.Field("unowned_partitions") as long?);
        }
        Assert.Equal((1, 1, 1), Assignment("audit"));
        Assert.Equal((3, 0, 0), Assignment("billing"));
        Assert.Equal((3, 0, 0), Assignment("payments"));
        // Its current assignment, not the target it is reconciling towards.
        Assert.Equal((1, 0, 0), Assignment("refunds"));
        Assert.DoesNotContain(lines, l => l.Measurement == "kafka_consumergroup_partition_owner");
    }

    [Fact]
    public async Task With_group_partition_owners_each_assigned_partition_names_its_owner_for_both_kinds_of_group()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, extraSettings: "  group_partition_owners = true");

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var owners = Blocks.Parse(run.Stdout)
            .Where(l => l.Measurement == "kafka_consumergroup_partition_owner")
            .Select(l => (l.Tag("consumergroup")!, l.Tag("topic")!, l.Tag("partition")!, l.Tag("client_id")!, l.Tag("host")!, l.Int("info")))
            .ToList();
        Assert.Equal(
            [
                ("audit", "orders", "0", "audit-client", "/10.0.0.6", 1L),
                ("billing", "orders", "0", "billing-client", "/10.0.0.1", 1L),
                ("billing", "orders", "1", "billing-client", "/10.0.0.1", 1L),
                ("billing", "orders", "2", "billing-client", "/10.0.0.2", 1L),
                ("payments", "orders", "0", "payments-client", "/10.0.0.3", 1L),
                ("payments", "orders", "1", "payments-client", "/10.0.0.3", 1L),
                ("payments", "orders", "2", "payments-client", "/10.0.0.4", 1L),
                ("refunds", "orders", "0", "refunds-client", "/10.0.0.5", 1L),
            ],
            owners);
    }

    /// <summary>
    /// The test cluster answers ConsumerGroupDescribe with state "Reconciling", as Kafka 4 does, but
    /// librdkafka 2.16 maps every state name it does not know to Unknown and Confluent.Kafka's
    /// ConsumerGroupState has no Assigning or Reconciling: the plugin can only write what it was told.
    /// Pinned so that a client upgrade that passes the state on shows here (README, KIP-848 groups).
    /// </summary>
    [Fact]
    public async Task A_reconciling_consumer_protocol_group_reads_as_Unknown_because_librdkafka_reports_it_so()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        Assert.Equal(0, lines.Single("kafka_consumergroup_state", ("consumergroup", "refunds")).Int("code"));
        Assert.Equal(1, lines.Single("kafka_consumergroup_state", ("consumergroup", "refunds"), ("state", "Unknown")).Int("info"));
        Assert.Equal(3, lines.Single("kafka_consumergroup_state", ("consumergroup", "payments")).Int("code"));
    }

    /// <summary>What the plugin wrote before the fix came from this: librdkafka's classic listing, unchanged.</summary>
    [Fact]
    public void The_classic_listing_alone_reports_a_consumer_protocol_group_as_dead_with_no_members()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();

        var groups = admin.ListGroups(TimeSpan.FromSeconds(10)).ToDictionary(g => g.Group);

        Assert.Equal(("Stable", 2), (groups["billing"].State, groups["billing"].Members.Count));
        foreach (var id in new[] { "payments", "refunds" })
        {
            Assert.False(groups[id].Error.IsError);
            Assert.Equal(("Dead", "", 0), (groups[id].State, groups[id].ProtocolType, groups[id].Members.Count));
        }
    }

    [Fact]
    public async Task The_classic_group_next_to_consumer_protocol_groups_is_reported_right()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        Assert.Equal(2, lines.Single("kafka_consumergroup", ("consumergroup", "billing")).Int("members"));
        var sums = lines.Single("kafka_consumergroup", ("consumergroup", "billing"), ("topic", "orders"));
        Assert.Equal((170, 10), (sums.Int("current_offset_sum"), sums.Int("lag_sum")));
        Assert.Equal(
            [("0", 90L, 10L), ("1", 80L, 0L)],
            PartitionLag(lines, "billing"));
        Assert.DoesNotContain(run.Stderr, line => line.StartsWith("E! ", StringComparison.Ordinal));
    }

    /// <summary>(partition, committed offset, lag) of the group's per-partition lines on topic orders.</summary>
    private static List<(string, long, long)> PartitionLag(IReadOnlyList<ParsedLine> lines, string group) =>
    [
        .. lines.Where(l => l.Measurement == "kafka_consumergroup" && l.Tag("consumergroup") == group
                && l.Tag("topic") == "orders" && l.Tag("partition") is not null)
            .Select(l => (l.Tag("partition")!, l.Int("current_offset"), l.Int("lag")))
            .Order(),
    ];
}

/// <summary>
/// Issue 9, faults: a broker that does not serve ConsumerGroupDescribe (API 69) while a consumer-type group
/// exists. librdkafka then describes the group with classic DescribeGroups only, which calls it Dead. The
/// group must not vanish (its lag is still right: OffsetFetch works for both kinds) and must not be
/// written as Dead with 0 members: its member count and state are unknown, and the gather says so.
/// </summary>
public sealed class ConsumerProtocolGroupWithoutConsumerGroupDescribeTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Brokers = 1, ConsumerGroupDescribe = false });

    public ConsumerProtocolGroupWithoutConsumerGroupDescribeTests()
    {
        _cluster.CreateTopic("orders", 1);
        _cluster.SetWatermarks("orders", 0, 0, 100);
        _cluster.SetGroup(new GroupSpec("billing", GroupState.Stable,
            [new MemberSpec("billing-a", "billing-client", "/10.0.0.1", [new("orders", 0)])]));
        _cluster.CommitOffset("billing", "orders", 0, 90);
        _cluster.SetConsumerGroup(new ConsumerGroupSpec("payments", ConsumerProtocolGroupState.Stable,
            [new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAQ", "payments-client", "/10.0.0.3", ["orders"], [new("orders", 0)])]));
        _cluster.CommitOffset("payments", "orders", 0, 70);
    }

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task The_consumer_group_keeps_its_lag_has_no_member_count_and_the_gather_is_partial()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var run = await PluginProcess.RunAsync(config.OnceArguments);

        // --once exits 1 for an incomplete gather (Cli/ExitCodes.GatherIncomplete).
        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = Blocks.Parse(run.Stdout);
        Assert.Equal(30, lines.Single("kafka_consumergroup", ("consumergroup", "payments"), ("partition", "0"), ("topic", "orders")).Int("lag"));
        Assert.DoesNotContain(lines, l => l.Tag("consumergroup") == "payments" && l.Measurement != "kafka_consumergroup");
        Assert.Empty(lines.Where("kafka_consumergroup", ("consumergroup", "payments")));
        Assert.Equal(1, lines.Single("kafka_consumergroup", ("consumergroup", "billing")).Int("members"));
        Assert.Equal(1, Blocks.Collector(lines).Int("partial"));
        var error = Assert.Single(run.Stderr, line => line.StartsWith("E! ", StringComparison.Ordinal));
        Assert.Contains("payments", error, StringComparison.Ordinal);
        Assert.Contains("ConsumerGroupDescribe", error, StringComparison.Ordinal);
    }
}
