using System.Diagnostics;
using System.Net.Sockets;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>
/// One test per fault kind. Coordinator errors on OffsetFetch are checked at the wire level: librdkafka 2.16's
/// ListConsumerGroupOffsets crashes the process on NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE (issue 5040).
/// Run alone: the latency and never-answer cases tell a delayed answer from a prompt one by time.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FaultTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start();
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private void Mark(string what) => output.WriteLine($"{_watch.ElapsedMilliseconds} ms: {what}");

    public void Dispose() => _cluster.Dispose();

    private RawKafkaClient Connect(int brokerId) => RawKafkaClient.Connect(_cluster.BrokerAddress(brokerId));

    private int OtherThan(int brokerId) => _cluster.BrokerIds.First(id => id != brokerId);

    [Fact]
    public async Task BrokerDownRefusesAndDropsConnectionsThenComesBackOnTheSamePort()
    {
        using var open = Connect(2);
        Assert.Equal(ErrorCodes.None, RawRequests.ApiVersionsV0(open));
        var address = _cluster.BrokerAddress(2);

        _cluster.Faults.BrokerDown(2);

        Assert.True(open.IsClosedByServer());
        var refused = Assert.Throws<SocketException>(() => RawKafkaClient.Connect(address));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        using (var other = Connect(1))
        {
            Assert.Equal([1, 3], RawRequests.MetadataBrokersV1(other).Order()); // a down broker is fenced out
        }

        _cluster.Faults.BrokerUp(2);

        Assert.Equal(address, _cluster.BrokerAddress(2));
        using var again = Connect(2);
        Assert.Equal([1, 2, 3], RawRequests.MetadataBrokersV1(again).Order());
        using var admin = Clients.Admin(_cluster);
        var cluster = await admin.DescribeClusterAsync();
        Assert.Equal(3, cluster.Nodes.Count);
    }

    [Fact]
    public async Task LatencyDelaysOnlyTheMatchingApiAndBroker()
    {
        // Long enough that "not delayed" needs no tight bound: requests the rule does not match are
        // answered while the matching one still waits. (Loopback round trips take well under 10 ms.)
        var latency = TimeSpan.FromSeconds(2);
        _cluster.Faults.AddLatency(latency, brokerId: 1, api: ApiKey.Metadata);
        using var one = Connect(1);
        using var oneAgain = Connect(1);
        using var two = Connect(2);

        var watch = Stopwatch.StartNew();
        var delayed = Task.Run(() => RawRequests.MetadataBrokersV1(one));
        await Wait.UntilAsync(() => _cluster.Counters.Requests(ApiKey.Metadata, 1) == 1, "the delayed request to arrive");
        RawRequests.ApiVersionsV0(oneAgain);   // another API, same broker
        RawRequests.MetadataBrokersV1(two);    // same API, another broker
        Assert.False(delayed.IsCompleted, $"the delayed request was answered before two undelayed ones ({watch.ElapsedMilliseconds} ms)");
        await delayed;
        // Task.Delay does not end early; 15 ms covers the clock's granularity.
        Assert.True(watch.Elapsed >= latency - TimeSpan.FromMilliseconds(15), $"delayed metadata took {watch.ElapsedMilliseconds} ms");

        _cluster.Faults.Clear();
        watch.Restart();
        RawRequests.MetadataBrokersV1(one);
        Assert.True(watch.Elapsed < latency, $"after Clear: {watch.ElapsedMilliseconds} ms, as long as the removed latency");
    }

    [Theory]
    [InlineData(ErrorCodes.CoordinatorLoadInProgress)]
    [InlineData(ErrorCodes.CoordinatorNotAvailable)]
    [InlineData(ErrorCodes.NotCoordinator)]
    public void FailNextPutsCoordinatorErrorsWhereEachApiCarriesThem(short error)
    {
        _cluster.CreateTopic("t", 2);
        _cluster.SetGroup(new GroupSpec("g", GroupState.Stable, [new MemberSpec("m", "c", "/h", [new("t", 0)])]));
        _cluster.CommitOffset("g", "t", 0, 5);
        var coordinator = _cluster.CoordinatorOf("g");
        using var client = Connect(coordinator);

        // OffsetFetch: per group in v8+, top level in v2-7, per partition in v0-1. Then the next request is fine.
        _cluster.Faults.FailNext(ApiKey.OffsetFetch, error, count: 3);
        var v9 = RawRequests.OffsetFetchV9(client, "g", "t", 0);
        Assert.Equal(error, v9.GroupError);
        Assert.Empty(v9.Partitions);
        var v3 = RawRequests.OffsetFetchV3(client, "g", "t", 0, 1);
        Assert.Equal(error, v3.Error);
        Assert.Empty(v3.Partitions);
        var v1 = RawRequests.OffsetFetchV1(client, "g", "t", 0, 1);
        Assert.Equal(2, v1.Count);
        Assert.All(v1, p => Assert.Equal((error, -1L), (p.Error, p.Offset)));
        var healthy = RawRequests.OffsetFetchV9(client, "g", "t", 0);
        Assert.Equal((ErrorCodes.None, 5L), (healthy.GroupError, healthy.Partitions.Single().Offset));

        // DescribeGroups: per group.
        _cluster.Faults.FailNext(ApiKey.DescribeGroups, error);
        Assert.Equal((error, ""), RawRequests.DescribeGroupsV5(client, "g"));
        Assert.Equal((ErrorCodes.None, "Stable"), RawRequests.DescribeGroupsV5(client, "g"));

        // FindCoordinator: top level in v0-3, per key in v4+; only the broker the rule names fails.
        _cluster.Faults.FailNext(ApiKey.FindCoordinator, error, count: 2, brokerId: coordinator);
        Assert.Equal((error, -1), RawRequests.FindCoordinatorV2(client, "g"));
        Assert.Equal([("g", error, -1), ("h", error, -1)], RawRequests.FindCoordinatorV4(client, "g", "h"));
        using (var other = Connect(OtherThan(coordinator)))
        {
            Assert.Equal((ErrorCodes.None, coordinator), RawRequests.FindCoordinatorV2(other, "g"));
        }

        Assert.Equal((ErrorCodes.None, coordinator), RawRequests.FindCoordinatorV2(client, "g"));
    }

    [Fact]
    public async Task CoordinatorLoadInProgressReachesTheConfluentClientCleanly()
    {
        _cluster.CreateTopic("t", 1);
        _cluster.CommitOffset("g", "t", 0, 9);
        using var admin = Clients.Admin(_cluster);

        // DescribeConsumerGroups reports the group's error as a clean exception; the next call succeeds.
        _cluster.Faults.FailNext(ApiKey.DescribeGroups, ErrorCodes.CoordinatorLoadInProgress);
        var loading = await Assert.ThrowsAsync<DescribeConsumerGroupsException>(() => admin.DescribeConsumerGroupsAsync(["g"]));
        Assert.Equal(ErrorCode.GroupLoadInProgress, loading.Results.ConsumerGroupDescriptions[0].Error.Code);
        var described = await admin.DescribeConsumerGroupsAsync(["g"]);
        Assert.Equal(ConsumerGroupState.Empty, described.ConsumerGroupDescriptions[0].State);

        // A persistent load error surfaces as an error, not a crash.
        _cluster.Faults.FailNext(ApiKey.OffsetFetch, ErrorCodes.CoordinatorLoadInProgress, count: 1000);
        var failure = await Assert.ThrowsAnyAsync<KafkaException>(() =>
            admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("g", null)],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(2) }));
        Assert.NotNull(failure.Error);
        Assert.True(_cluster.Counters.Requests(ApiKey.OffsetFetch) >= 1);

        _cluster.Faults.Clear();
        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("g", null)]);
        Assert.Equal(9, offsets[0].Partitions.Single().Offset.Value);
    }

    [Fact]
    public void FailNextOnMetadataReportsTheTopicErrorOnce()
    {
        _cluster.CreateTopic("t", 3);
        using var client = Connect(1);
        _cluster.Faults.FailNext(ApiKey.Metadata, ErrorCodes.UnknownTopicOrPartition);
        Assert.Equal((ErrorCodes.UnknownTopicOrPartition, 0), RawRequests.MetadataTopicV1(client, "t"));
        _cluster.Faults.FailNext(ApiKey.Metadata, ErrorCodes.LeaderNotAvailable);
        Assert.Equal((ErrorCodes.LeaderNotAvailable, 0), RawRequests.MetadataTopicV1(client, "t"));
        Assert.Equal((ErrorCodes.None, 3), RawRequests.MetadataTopicV1(client, "t"));
        Assert.Equal(2, _cluster.Faults.FailuresAnswered(ApiKey.Metadata));
        Assert.Equal(2, _cluster.Faults.FailuresAnswered(ApiKey.Metadata, brokerId: 1));
        Assert.Equal(0, _cluster.Faults.FailuresAnswered(ApiKey.Metadata, brokerId: 2));
        Assert.Equal(0, _cluster.Faults.FailuresAnswered(ApiKey.ApiVersions));
        _cluster.Faults.Clear();
        Assert.Equal(2, _cluster.Faults.FailuresAnswered(ApiKey.Metadata));
    }

    [Fact]
    public async Task NeverAnswerLeavesTheConnectionOpenAndTheClientTimesOut()
    {
        _cluster.CreateTopic("t", 1);
        _cluster.Faults.NeverAnswer(ApiKey.DescribeConfigs);

        using var raw = Connect(1);
        raw.Send(ApiKey.DescribeConfigs, 1, false, w =>
        {
            w.WriteArrayLength(1);
            w.WriteInt8(2);
            w.WriteString("t");
            w.WriteArrayLength(-1);
            w.WriteBool(false);
        });
        var pending = Task.Run(raw.Receive);
        await Wait.UntilAsync(() => _cluster.Counters.Requests(ApiKey.DescribeConfigs, 1) == 1, "the request to arrive");

        // The Confluent client gives up after its own timeout; the raw request, sent before it, is still
        // unanswered then: the wait that proves "never" is the client's timeout, not a sleep of the test's.
        var clientTimeout = TimeSpan.FromSeconds(1);
        using var admin = Clients.Admin(_cluster);
        var timedOut = await Assert.ThrowsAnyAsync<KafkaException>(() => admin.DescribeConfigsAsync(
            [new ConfigResource { Type = ResourceType.Topic, Name = "t" }],
            new DescribeConfigsOptions { RequestTimeout = clientTimeout }));
        Assert.Equal(ErrorCode.Local_TimedOut, timedOut.Error.Code);
        Assert.True(_cluster.Counters.Requests(ApiKey.DescribeConfigs) >= 2, "the client's request never reached the cluster");
        Assert.False(pending.IsCompleted, "the never-answer request was answered (or its connection closed)");
        Assert.True(_cluster.OpenConnections >= 1);
        Mark("timed out");

        // Other APIs are answered on new connections, and Clear lifts the rule (a hung connection stays hung).
        using var fresh = Clients.Admin(_cluster);
        Assert.Single(fresh.GetMetadata("t", Clients.Timeout).Topics);
        _cluster.Faults.Clear();
        var configs = await fresh.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "t" }]);
        Assert.NotEmpty(configs[0].Entries);
        Assert.False(pending.IsCompleted, "the hung connection was answered after Clear");
        Mark("fresh done");
    }

    [Fact]
    public async Task MoveCoordinatorRedirectsFindCoordinatorAndTheOldOneRefuses()
    {
        _cluster.CreateTopic("t", 1);
        _cluster.SetGroup(new GroupSpec("movers", GroupState.Empty, []));
        var before = _cluster.CoordinatorOf("movers");
        var after = OtherThan(before);

        _cluster.Faults.MoveCoordinator("movers", after);

        Assert.Equal(after, _cluster.CoordinatorOf("movers"));
        using (var old = Connect(before))
        {
            Assert.Equal((ErrorCodes.None, after), RawRequests.FindCoordinatorV2(old, "movers"));
            Assert.Equal(ErrorCodes.NotCoordinator, RawRequests.DescribeGroupsV5(old, "movers").Error);
            Assert.Equal(ErrorCodes.NotCoordinator, RawRequests.OffsetFetchV9(old, "movers", null).GroupError);
        }

        using var admin = Clients.Admin(_cluster);
        var described = await admin.DescribeConsumerGroupsAsync(["movers"]);
        Assert.Equal(after, described.ConsumerGroupDescriptions[0].Coordinator.Id);
    }

    [Fact]
    public void ApiVersionsAnsweredUnsupportedMakesLibrdkafkaRetryWithAnOlderVersion()
    {
        _cluster.CreateTopic("t", 1);
        _cluster.Faults.FailNext(ApiKey.ApiVersions, ErrorCodes.UnsupportedVersion, count: 3);
        using var admin = Clients.Admin(_cluster);

        Assert.Single(admin.GetMetadata("t", Clients.Timeout).Topics);
        Assert.True(_cluster.Counters.Requests(ApiKey.ApiVersions) >= 2);
    }
}
