using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>Every AdminClient call the plugin makes returns exactly what the cluster state says.</summary>
public sealed class AdminApiTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start(new ClusterOptions { Racks = ["rack-a", "rack-b", null] });
    private readonly IAdminClient _admin;

    public AdminApiTests()
    {
        _admin = Clients.Admin(_cluster);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public void MetadataReportsBrokersPlacementAndTopicErrors()
    {
        _cluster.CreateTopic("orders", 3);
        _cluster.CreateTopic("__internal", 1, isInternal: true);
        _cluster.SetPartition("orders", 0, replicas: [1, 2, 3], leader: 2, isr: [2, 3]);          // non-preferred, under-replicated
        _cluster.SetPartition("orders", 1, replicas: [2, 3, 1], leader: -1, isr: [], offlineReplicas: [2, 3, 1]);

        var metadata = _admin.GetMetadata(Clients.Timeout);

        Assert.Equal([1, 2, 3], metadata.Brokers.Select(b => b.BrokerId).Order());
        Assert.All(metadata.Brokers, b => Assert.Equal(_cluster.BrokerAddress(b.BrokerId), $"{b.Host}:{b.Port}"));
        var orders = metadata.Topics.Single(t => t.Topic == "orders");
        Assert.Equal(ErrorCode.NoError, orders.Error.Code);
        var p0 = orders.Partitions.Single(p => p.PartitionId == 0);
        Assert.Equal(2, p0.Leader);
        Assert.Equal([1, 2, 3], p0.Replicas);
        Assert.Equal([2, 3], p0.InSyncReplicas);
        var p1 = orders.Partitions.Single(p => p.PartitionId == 1);
        Assert.Equal(-1, p1.Leader);
        Assert.Equal(ErrorCode.LeaderNotAvailable, p1.Error.Code);
        var p2 = orders.Partitions.Single(p => p.PartitionId == 2);
        Assert.Equal(p2.Replicas[0], p2.Leader);
        Assert.Contains(metadata.Topics, t => t.Topic == "__internal");

        var missing = _admin.GetMetadata("no-such-topic", Clients.Timeout);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(missing.Topics).Error.Code);
    }

    [Fact]
    public async Task DescribeTopicsReportsTopicIdsAndPartitions()
    {
        _cluster.CreateTopic("events", 2, replicationFactor: 2);
        var result = await _admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["events"]));
        var topic = Assert.Single(result.TopicDescriptions);
        Assert.Equal("events", topic.Name);
        Assert.NotEqual(0, topic.TopicId.MostSignificantBits | topic.TopicId.LeastSignificantBits);
        Assert.Equal(2, topic.Partitions.Count);
        Assert.All(topic.Partitions, p => Assert.Equal(2, p.Replicas.Count));
    }

    [Fact]
    public async Task DescribeClusterReportsClusterIdControllerAndRacks()
    {
        var result = await _admin.DescribeClusterAsync();

        Assert.Equal(_cluster.ClusterId, result.ClusterId);
        Assert.Equal(_cluster.ControllerId, result.Controller.Id);
        Assert.Equal(["rack-a", "rack-b", null], result.Nodes.OrderBy(n => n.Id).Select(n => n.Rack));
        Assert.All(result.Nodes, n => Assert.Equal(_cluster.BrokerAddress(n.Id), $"{n.Host}:{n.Port}"));
    }

    [Fact]
    public async Task ListOffsetsReturnsEarliestLatestAndByTimestamp()
    {
        _cluster.CreateTopic("clicks", 2);
        _cluster.SetWatermarks("clicks", 0, low: 10, high: 110);
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        _cluster.SetRecordTimestamps("clicks", 0, start, TimeSpan.FromMinutes(1));
        _cluster.AdvanceHighWatermark("clicks", 1, 5);

        var result = await _admin.ListOffsetsAsync(
        [
            new TopicPartitionOffsetSpec { TopicPartition = new("clicks", 0), OffsetSpec = OffsetSpec.Earliest() },
            new TopicPartitionOffsetSpec { TopicPartition = new("clicks", 1), OffsetSpec = OffsetSpec.Latest() },
        ]);
        Assert.Equal(10, Offset(result, "clicks", 0));
        Assert.Equal(5, Offset(result, "clicks", 1));

        var latest = await _admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new("clicks", 0), OffsetSpec = OffsetSpec.Latest() }]);
        Assert.Equal(110, Offset(latest, "clicks", 0));

        // Record i has timestamp start + i minutes: the first record at or after start + 42.5 min is 43.
        var byTime = await _admin.ListOffsetsAsync([new TopicPartitionOffsetSpec
        {
            TopicPartition = new("clicks", 0),
            OffsetSpec = OffsetSpec.ForTimestamp(start.AddMinutes(42.5).ToUnixTimeMilliseconds()),
        }]);
        var info = Assert.Single(byTime.ResultInfos);
        Assert.Equal(43, info.TopicPartitionOffsetError.Offset.Value);
        Assert.Equal(start.AddMinutes(43).ToUnixTimeMilliseconds(), info.Timestamp);

        var beforeLogStart = await _admin.ListOffsetsAsync([new TopicPartitionOffsetSpec
        {
            TopicPartition = new("clicks", 0), OffsetSpec = OffsetSpec.ForTimestamp(start.ToUnixTimeMilliseconds()),
        }]);
        Assert.Equal(10, Offset(beforeLogStart, "clicks", 0));

        var max = await _admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new("clicks", 0), OffsetSpec = OffsetSpec.MaxTimestamp() }]);
        Assert.Equal(109, Offset(max, "clicks", 0));
    }

    private static long Offset(ListOffsetsResult result, string topic, int partition) =>
        result.ResultInfos.Single(r => r.TopicPartitionOffsetError.Topic == topic && r.TopicPartitionOffsetError.Partition == partition)
            .TopicPartitionOffsetError.Offset.Value;

    [Fact]
    public async Task ListConsumerGroupsFiltersByState()
    {
        _cluster.CreateTopic("t", 1);
        var groups = Enumerable.Range(0, 12).Select(i => $"group-{i}").ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            var state = (GroupState)(i % 4);
            var members = state == GroupState.Empty ? [] : new[] { new MemberSpec($"m-{i}", "client", "/10.0.0.1", [new("t", 0)]) };
            _cluster.SetGroup(new GroupSpec(groups[i], state, members));
        }

        var all = await _admin.ListConsumerGroupsAsync();
        Assert.Equal(groups.Order(), all.Valid.Select(g => g.GroupId).Order());

        var stable = await _admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Stable, ConsumerGroupState.Empty] });
        var expected = groups.Where((_, i) => i % 4 is 0 or 1).Order();
        Assert.Equal(expected, stable.Valid.Select(g => g.GroupId).Order());
        Assert.All(stable.Valid, g => Assert.Contains(g.State, new[] { ConsumerGroupState.Stable, ConsumerGroupState.Empty }));
    }

    [Fact]
    public async Task DescribeConsumerGroupsDecodesMembersAndAssignments()
    {
        _cluster.CreateTopic("payments", 4);
        _cluster.SetGroup(new GroupSpec("billing", GroupState.Stable,
        [
            new MemberSpec("consumer-1-abc", "billing-1", "/10.0.0.7", [new("payments", 0), new("payments", 2)], GroupInstanceId: "pod-1"),
            new MemberSpec("consumer-2-def", "billing-2", "/10.0.0.8", [new("payments", 1), new("payments", 3)]),
        ], Protocol: "roundrobin"));

        var result = await _admin.DescribeConsumerGroupsAsync(["billing"]);
        var group = Assert.Single(result.ConsumerGroupDescriptions);

        Assert.Equal(ErrorCode.NoError, group.Error.Code);
        Assert.Equal(ConsumerGroupState.Stable, group.State);
        Assert.Equal("roundrobin", group.PartitionAssignor);
        Assert.False(group.IsSimpleConsumerGroup);
        Assert.Equal(_cluster.CoordinatorOf("billing"), group.Coordinator.Id);
        var first = group.Members.Single(m => m.ConsumerId == "consumer-1-abc");
        Assert.Equal("billing-1", first.ClientId);
        Assert.Equal("/10.0.0.7", first.Host);
        Assert.Equal("pod-1", first.GroupInstanceId);
        Assert.Equal([new TopicPartition("payments", 0), new TopicPartition("payments", 2)], first.Assignment.TopicPartitions);
        var second = group.Members.Single(m => m.ConsumerId == "consumer-2-def");
        Assert.Equal([new TopicPartition("payments", 1), new TopicPartition("payments", 3)], second.Assignment.TopicPartitions);
    }

    [Fact]
    public async Task ListConsumerGroupOffsetsReturnsAllOrRequestedPartitions()
    {
        _cluster.CreateTopic("ledger", 3);
        _cluster.SetGroup(new GroupSpec("auditors", GroupState.Empty, []));
        _cluster.CommitOffset("auditors", "ledger", 0, 100, "meta-0");
        _cluster.CommitOffset("auditors", "ledger", 2, 300);

        var all = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("auditors", null)]);
        var partitions = Assert.Single(all).Partitions.OrderBy(p => p.Partition.Value).ToList();
        Assert.Equal([0, 2], partitions.Select(p => p.Partition.Value));
        Assert.Equal([100L, 300L], partitions.Select(p => p.Offset.Value));

        var some = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("auditors",
            [new TopicPartition("ledger", 1), new TopicPartition("ledger", 2)])]);
        var requested = Assert.Single(some).Partitions.OrderBy(p => p.Partition.Value).ToList();
        Assert.Equal(Confluent.Kafka.Offset.Unset, requested[0].Offset); // no commit: -1
        Assert.Equal(300, requested[1].Offset.Value);

        var unknown = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("nobody", null)]);
        Assert.Empty(Assert.Single(unknown).Partitions);
    }

    [Fact]
    public async Task DescribeConfigsReportsDefaultsAndDynamicTopicOverrides()
    {
        _cluster.CreateTopic("logs", 1, configs: new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact" });

        var results = await _admin.DescribeConfigsAsync(
        [
            new ConfigResource { Type = ResourceType.Topic, Name = "logs" },
            new ConfigResource { Type = ResourceType.Broker, Name = "2" },
        ]);

        var topic = results.Single(r => r.ConfigResource.Type == ResourceType.Topic).Entries;
        Assert.Equal("3600000", topic["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, topic["retention.ms"].Source);
        Assert.False(topic["retention.ms"].IsDefault);
        Assert.Equal("compact", topic["cleanup.policy"].Value);
        Assert.Equal("-1", topic["retention.bytes"].Value);
        Assert.True(topic["retention.bytes"].IsDefault);
        Assert.Equal(ConfigSource.DefaultConfig, topic["retention.bytes"].Source);
        foreach (var name in new[] { "min.insync.replicas", "segment.bytes", "max.message.bytes" })
        {
            Assert.True(topic.ContainsKey(name), name);
        }

        var broker = results.Single(r => r.ConfigResource.Type == ResourceType.Broker).Entries;
        Assert.Equal("2", broker["broker.id"].Value);
        Assert.Equal("168", broker["log.retention.hours"].Value);
        Assert.Equal("rack-b", broker["broker.rack"].Value);
    }

    [Fact]
    public async Task GroupsInEveryStateAreDescribedAsKafkaWould()
    {
        _cluster.CreateTopic("jobs", 2);
        var member = new MemberSpec("m-1", "worker", "/10.1.1.1", [new("jobs", 0), new("jobs", 1)]);
        foreach (var state in Enum.GetValues<GroupState>())
        {
            _cluster.SetGroup(new GroupSpec($"group-{state}", state, state == GroupState.Empty ? [] : [member]));
        }

        var ids = Enum.GetValues<GroupState>().Select(s => $"group-{s}").ToList();
        var result = await _admin.DescribeConsumerGroupsAsync(ids);
        var byId = result.ConsumerGroupDescriptions.ToDictionary(g => g.GroupId);
        Assert.Equal(ConsumerGroupState.Stable, byId["group-Stable"].State);
        Assert.Equal(ConsumerGroupState.Empty, byId["group-Empty"].State);
        Assert.Equal(ConsumerGroupState.PreparingRebalance, byId["group-PreparingRebalance"].State);
        Assert.Equal(ConsumerGroupState.CompletingRebalance, byId["group-CompletingRebalance"].State);
        Assert.Equal(ConsumerGroupState.Dead, byId["group-Dead"].State);
        Assert.Equal(2, byId["group-Stable"].Members[0].Assignment.TopicPartitions.Count);
        Assert.Empty(byId["group-PreparingRebalance"].Members[0].Assignment.TopicPartitions); // not settled yet
    }

    [Fact]
    public async Task AdminCommitsToAGroupWithLiveMembersAreRefusedAsByKafka()
    {
        _cluster.CreateTopic("jobs", 1);
        _cluster.SetGroup(new GroupSpec("busy", GroupState.Stable, [new MemberSpec("m-1", "worker", "/10.1.1.1", [new("jobs", 0)])]));

        var refused = await Assert.ThrowsAsync<AlterConsumerGroupOffsetsException>(() =>
            _admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("busy", [new TopicPartitionOffset("jobs", 0, 5)])]));
        Assert.Equal(ErrorCode.UnknownMemberId, refused.Results[0].Partitions[0].Error.Code);
        Assert.Null(_cluster.GetCommittedOffset("busy", "jobs", 0));

        _cluster.SetGroup(new GroupSpec("busy", GroupState.Empty, []));
        await _admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("busy", [new TopicPartitionOffset("jobs", 0, 5)])]);
        Assert.Equal(5, _cluster.GetCommittedOffset("busy", "jobs", 0));
    }
}
