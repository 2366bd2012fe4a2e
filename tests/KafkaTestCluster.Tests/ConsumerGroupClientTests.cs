using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>
/// What Confluent.Kafka 2.16 (librdkafka 2.16) returns for a KIP-848 consumer-type group next to a classic
/// group, against a cluster that answers like Kafka 4: every admin call a monitor could use, and the
/// requests librdkafka sends for them (counted by the cluster; versions from librdkafka's protocol log).
/// </summary>
public sealed class ConsumerGroupClientTests : IDisposable
{
    private const string Classic = "classic-billing";
    private const string Modern = "kip848-billing";
    private const string Reconciling = "kip848-reconciling";
    private const string Assigning = "kip848-assigning";

    private readonly TestCluster _cluster = TestCluster.Start();
    private readonly List<string> _log = [];
    private readonly IAdminClient _admin;

    public ConsumerGroupClientTests()
    {
        _cluster.CreateTopic("orders", 3);
        _cluster.SetWatermarks("orders", 0, 0, 100);
        _cluster.SetWatermarks("orders", 1, 0, 100);
        _cluster.SetGroup(new GroupSpec(Classic, GroupState.Stable,
            [new MemberSpec("classic-1", "classic-client", "/10.0.0.1", [new("orders", 0), new("orders", 1)])]));
        _cluster.SetConsumerGroup(new ConsumerGroupSpec(Modern, ConsumerProtocolGroupState.Stable,
        [
            new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAQ", "modern-client", "/10.0.0.2", ["orders"], [new("orders", 0), new("orders", 2)], InstanceId: "static-1"),
            new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAg", "modern-client", "/10.0.0.3", ["orders"], [new("orders", 1)]),
        ]));
        _cluster.SetConsumerGroup(new ConsumerGroupSpec(Reconciling, ConsumerProtocolGroupState.Reconciling,
            [new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAw", "modern-client", "/10.0.0.4", ["orders"], [new("orders", 0)], [new("orders", 0), new("orders", 1)])]));
        _cluster.SetConsumerGroup(new ConsumerGroupSpec(Assigning, ConsumerProtocolGroupState.Assigning,
            [new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAABA", "modern-client", "/10.0.0.5", ["orders"], [])]));
        _cluster.CommitOffset(Classic, "orders", 0, 90);
        _cluster.CommitOffset(Modern, "orders", 0, 60);
        _cluster.CommitOffset(Modern, "orders", 1, 100);
        _admin = AdminWithProtocolLog(_cluster, _log);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public async Task ListConsumerGroupsReportsTypesAndMapsAssigningAndReconcilingToUnknown()
    {
        var listed = (await _admin.ListConsumerGroupsAsync()).Valid.ToDictionary(g => g.GroupId);

        Assert.Equal((ConsumerGroupType.Classic, ConsumerGroupState.Stable), (listed[Classic].Type, listed[Classic].State));
        Assert.Equal((ConsumerGroupType.Consumer, ConsumerGroupState.Stable), (listed[Modern].Type, listed[Modern].State));
        // librdkafka 2.16 knows no KIP-848 state names (design.md §8).
        Assert.Equal((ConsumerGroupType.Consumer, ConsumerGroupState.Unknown), (listed[Reconciling].Type, listed[Reconciling].State));
        Assert.Equal((ConsumerGroupType.Consumer, ConsumerGroupState.Unknown), (listed[Assigning].Type, listed[Assigning].State));
        Assert.All(listed.Values, g => Assert.False(g.IsSimpleConsumerGroup));

        var consumers = await _admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchTypes = [ConsumerGroupType.Consumer] });
        Assert.Equal([Assigning, Modern, Reconciling], consumers.Valid.Select(g => g.GroupId).Order(StringComparer.Ordinal));
        var stable = await _admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Stable] });
        Assert.Equal([Classic, Modern], stable.Valid.Select(g => g.GroupId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DescribeConsumerGroupsTriesConsumerGroupDescribeV0FirstAndFallsBackToDescribeGroupsForClassicGroups()
    {
        var result = await _admin.DescribeConsumerGroupsAsync([Classic, Modern, Reconciling, Assigning]);
        var described = result.ConsumerGroupDescriptions.ToDictionary(g => g.GroupId);

        // One ConsumerGroupDescribe per group; the classic group's GROUP_ID_NOT_FOUND sends it to DescribeGroups.
        Assert.Equal(4, _cluster.Counters.Requests(ApiKey.ConsumerGroupDescribe));
        Assert.Equal(1, _cluster.Counters.Requests(ApiKey.DescribeGroups));
        Assert.Equal(4, SentVersions("ConsumerGroupDescribeRequest").Count(v => v == "v0"));
        Assert.Equal(["v5"], SentVersions("DescribeGroupsRequest"));

        var modern = described[Modern];
        Assert.Equal((ErrorCode.NoError, ConsumerGroupType.Consumer, ConsumerGroupState.Stable, "uniform", false),
            (modern.Error.Code, modern.GroupType, modern.State, modern.PartitionAssignor, modern.IsSimpleConsumerGroup));
        Assert.Equal(_cluster.CoordinatorOf(Modern), modern.Coordinator.Id);
        Assert.Equal(2, modern.Members.Count);
        var first = modern.Members.Single(m => m.ConsumerId == "AAAAAAAAAAAAAAAAAAAAAQ");
        Assert.Equal(("modern-client", "/10.0.0.2", "static-1"), (first.ClientId, first.Host, first.GroupInstanceId));
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 2)], first.Assignment.TopicPartitions);
        Assert.Equal(first.Assignment.TopicPartitions, first.TargetAssignment.TopicPartitions);

        var reconciling = described[Reconciling];
        Assert.Equal((ConsumerGroupType.Consumer, ConsumerGroupState.Unknown), (reconciling.GroupType, reconciling.State));
        var member = Assert.Single(reconciling.Members);
        Assert.Equal([new TopicPartition("orders", 0)], member.Assignment.TopicPartitions);
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 1)], member.TargetAssignment.TopicPartitions);
        Assert.Equal(ConsumerGroupState.Unknown, described[Assigning].State);
        Assert.Single(described[Assigning].Members);

        // The classic group still describes correctly after the fallback.
        var classic = described[Classic];
        Assert.Equal((ErrorCode.NoError, ConsumerGroupType.Classic, ConsumerGroupState.Stable, "range"),
            (classic.Error.Code, classic.GroupType, classic.State, classic.PartitionAssignor));
        var classicMember = Assert.Single(classic.Members);
        Assert.Equal(("classic-1", "classic-client", "/10.0.0.1"), (classicMember.ConsumerId, classicMember.ClientId, classicMember.Host));
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 1)], classicMember.Assignment.TopicPartitions);
        Assert.Null(classicMember.TargetAssignment); // only consumer-type members have one
    }

    [Fact]
    public async Task ListConsumerGroupOffsetsReadsBothKinds()
    {
        foreach (var (group, expected) in new[] { (Classic, new[] { (0, 90L) }), (Modern, new[] { (0, 60L), (1, 100L) }) })
        {
            var result = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]);

            var partitions = Assert.Single(result).Partitions;
            Assert.All(partitions, p => Assert.Equal(ErrorCode.NoError, p.Error.Code));
            Assert.Equal(expected, partitions.Select(p => (p.Partition.Value, p.Offset.Value)).Order());
        }
    }

    [Fact]
    public void ClassicListGroupsReportsAConsumerGroupAsDeadWithoutMembersOrError()
    {
        var groups = _admin.ListGroups(Clients.Timeout).ToDictionary(g => g.Group);

        // librdkafka's classic listing describes with DescribeGroups v0, which Kafka 4 answers "Dead" without
        // an error for a group that is not classic: nothing tells the caller the group is live.
        Assert.Equal(["v0"], SentVersions("DescribeGroupsRequest").Distinct());
        Assert.Equal(0, _cluster.Counters.Requests(ApiKey.ConsumerGroupDescribe));
        var modern = groups[Modern];
        Assert.Equal((ErrorCode.NoError, "Dead", "", "", 0), (modern.Error.Code, modern.State, modern.ProtocolType, modern.Protocol, modern.Members.Count));
        Assert.Equal("Dead", groups[Reconciling].State);
        var classic = groups[Classic];
        Assert.Equal((ErrorCode.NoError, "Stable", "consumer", "range", 1), (classic.Error.Code, classic.State, classic.ProtocolType, classic.Protocol, classic.Members.Count));
    }

    [Fact]
    public async Task AgainstABrokerWithoutConsumerGroupDescribeClassicGroupsStillDescribeWithDescribeGroupsOnly()
    {
        await using var kafka3 = TestCluster.Start(new ClusterOptions { ConsumerGroupDescribe = false });
        kafka3.CreateTopic("orders", 2);
        kafka3.SetGroup(new GroupSpec(Classic, GroupState.Stable, [new MemberSpec("classic-1", "c", "/10.0.0.1", [new("orders", 0)])]));
        kafka3.SetConsumerGroup(new ConsumerGroupSpec(Modern, ConsumerProtocolGroupState.Stable,
            [new ConsumerMemberSpec("AAAAAAAAAAAAAAAAAAAAAQ", "m", "/10.0.0.2", ["orders"], [new("orders", 1)])]));
        using var admin = AdminWithProtocolLog(kafka3, []);

        var described = (await admin.DescribeConsumerGroupsAsync([Classic, Modern])).ConsumerGroupDescriptions.ToDictionary(g => g.GroupId);

        Assert.Equal(0, kafka3.Counters.Requests(ApiKey.ConsumerGroupDescribe));
        Assert.Equal((ConsumerGroupState.Stable, 1), (described[Classic].State, described[Classic].Members.Count));
        // A consumer group seen only through DescribeGroups v5: Dead, classic, simple, no members, no error.
        var modern = described[Modern];
        Assert.Equal((ErrorCode.NoError, ConsumerGroupState.Dead, ConsumerGroupType.Classic, true, 0),
            (modern.Error.Code, modern.State, modern.GroupType, modern.IsSimpleConsumerGroup, modern.Members.Count));
    }

    /// <summary>The request versions librdkafka logged as sent for one request name ("Sent XRequest (vN, ...").</summary>
    private List<string> SentVersions(string request)
    {
        lock (_log)
        {
            var marker = $"Sent {request} (";
            return [.. _log.Where(l => l.Contains(marker, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split(',')[0])];
        }
    }

    private static IAdminClient AdminWithProtocolLog(TestCluster cluster, List<string> log)
    {
        var config = Clients.Configure(new AdminClientConfig { Debug = "protocol" }, cluster);
        return new AdminClientBuilder(config).SetLogHandler((_, message) =>
        {
            lock (log)
            {
                log.Add(message.Message);
            }
        }).Build();
    }
}
