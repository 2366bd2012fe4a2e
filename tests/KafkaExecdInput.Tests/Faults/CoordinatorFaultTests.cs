using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// Fault matrix, group coordinators: the errors Kafka answers while coordinators load or move, to
/// OffsetFetch and to DescribeGroups; a coordinator moving mid-gather; hundreds of offset fetches
/// timing out at once; a group deleted mid-gather. librdkafka 2.16 crashes on some of these
/// (Kafka/README.md): a crash of the worker is allowed if it is reported (worker_restarts, a W!/E!
/// line) and the data comes out complete; a crash of the plugin never is.
/// </summary>
public sealed class CoordinatorFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FaultCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = FaultCluster.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private TestCluster Cluster => _cluster.Cluster;

    [Theory]
    [InlineData(ErrorCodes.NotCoordinator)]
    [InlineData(ErrorCodes.CoordinatorLoadInProgress)]
    [InlineData(ErrorCodes.CoordinatorNotAvailable)]
    public async Task A_coordinator_error_answered_to_an_offset_fetch_costs_nothing(short errorCode)
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        Cluster.Faults.FailNext(ApiKey.OffsetFetch, errorCode, count: 1);
        var faulty = await session.GatherAsync();
        Assert.Equal(1, Cluster.Faults.FailuresAnswered(ApiKey.OffsetFetch));

        output.WriteLine($"OffsetFetch answered {errorCode}: worker restarts {faulty.WorkerRestarts}");
        // librdkafka retries after looking the coordinator up again, or its worker dies (SIGSEGV on
        // NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE, librdkafka issue 5040) and a new one resumes.
        _cluster.AssertComplete(faulty);
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Theory]
    [InlineData(ErrorCodes.NotCoordinator)]
    [InlineData(ErrorCodes.CoordinatorLoadInProgress)]
    [InlineData(ErrorCodes.CoordinatorNotAvailable)]
    public async Task A_coordinator_error_answered_to_describe_groups_costs_nothing(short errorCode)
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        // The listing describes each broker's groups in one DescribeGroups request: fail broker 1's.
        // Those groups are described again, one by one.
        Cluster.Faults.FailNext(ApiKey.DescribeGroups, errorCode, count: 1, brokerId: 1);
        var faulty = await session.GatherAsync();
        Assert.Equal(1, Cluster.Faults.FailuresAnswered(ApiKey.DescribeGroups, brokerId: 1));

        output.WriteLine($"DescribeGroups answered {errorCode}: worker restarts {faulty.WorkerRestarts}");
        _cluster.AssertComplete(faulty);
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Theory]
    [InlineData(ErrorCodes.NotCoordinator)]
    [InlineData(ErrorCodes.CoordinatorLoadInProgress)]
    [InlineData(ErrorCodes.CoordinatorNotAvailable)]
    public async Task A_coordinator_error_while_describing_groups_the_listing_missed_costs_at_most_those_member_counts(short errorCode)
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        // Broker 2's listing fails, so its groups are described one by one (DescribeConsumerGroups,
        // the admin API) - and those requests fail too.
        Cluster.Faults.FailNext(ApiKey.ListGroups, ErrorCodes.CoordinatorNotAvailable, count: 10, brokerId: 2);
        Cluster.Faults.FailNext(ApiKey.DescribeGroups, errorCode, count: 10, brokerId: 2);
        var faulty = await session.GatherAsync();

        Assert.True(Cluster.Faults.FailuresAnswered(ApiKey.ListGroups, brokerId: 2) >= 1, "broker 2's listing never failed");
        Assert.True(Cluster.Faults.FailuresAnswered(ApiKey.DescribeGroups, brokerId: 2) >= 1, "no description of broker 2's groups failed");
        Assert.True(faulty.Partial, faulty.ToString());
        AssertNothingButMemberCountsOf(faulty, _cluster.GroupsCoordinatedBy(2));
        Cluster.Faults.Clear();
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task Coordinators_moving_mid_gather_cost_nothing()
    {
        using var config = _cluster.Config(timeout: "5s", requestTimeout: "1s");
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        // The groups have been listed and their offset fetches are on their way when every group's
        // coordinator moves to the next broker, as in a rolling restart.
        Cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(200), api: ApiKey.OffsetFetch);
        var fetchesBefore = Cluster.Counters.Requests(ApiKey.OffsetFetch);
        await session.RequestAsync();
        await BrokerFaultTests.WaitUntilAsync(() => Cluster.Counters.Requests(ApiKey.OffsetFetch) > fetchesBefore);
        foreach (var group in _cluster.Groups)
        {
            Cluster.Faults.MoveCoordinator(group, Cluster.CoordinatorOf(group) % 3 + 1);
        }
        var moved = await session.NextAsync();

        output.WriteLine($"coordinators moved mid-gather: worker restarts {moved.WorkerRestarts}");
        _cluster.AssertComplete(moved);
        Cluster.Faults.Clear();
        _cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Fact]
    public async Task Hundreds_of_offset_fetches_timing_out_at_once_are_one_counted_error_and_the_next_gather_is_complete()
    {
        await using var big = FaultCluster.Start(groupsPerBroker: 100);
        using var config = big.Config("  max_concurrent_requests = 1000", timeout: "3s", requestTimeout: "1s");
        await using var session = FaultSession.Start(config, output);
        big.AssertComplete(await session.GatherAsync());

        // Every OffsetFetch takes longer than request_timeout: 300 requests time out together.
        big.Faults.AddLatency(TimeSpan.FromMilliseconds(1500), api: ApiKey.OffsetFetch);
        var faulty = await session.GatherAsync();

        Assert.True(faulty.Partial, faulty.ToString());
        Assert.True(FaultCluster.GroupsWithOffsets(faulty).Count < 30, faulty.ToString());
        Assert.Equal(300, FaultCluster.GroupsListed(faulty).Count);
        // Every partition is still reported. (Their offsets may be lost too: ListOffsets requests queue
        // behind the slow OffsetFetch requests on each broker's one connection, as on a real broker.)
        Assert.Equal(9, faulty.Measurement("kafka_topic_partition").Count());
        output.WriteLine($"300 offset fetches timing out: worker restarts {faulty.WorkerRestarts}");

        big.Faults.Clear();
        big.AssertComplete(await session.GatherAsync());
        var stderr = await session.StopAsync();
        // 300 failures make one short summary naming a few groups, not 300 lines. (librdkafka may also
        // abort the worker under this load - issue 4605 - which FaultSession requires to be reported.)
        var summary = Assert.Single(stderr, l => l.StartsWith("E! collection incomplete", StringComparison.Ordinal));
        Assert.True(summary.Length < 2_000, $"summary of {summary.Length} characters: {summary}");
        Assert.True(stderr.Count <= 6, string.Join('\n', stderr));
    }

    [Fact]
    public async Task A_group_deleted_mid_gather_is_left_out_or_reported_without_offsets_and_never_breaks_a_line()
    {
        using var config = _cluster.Config();
        await using var session = FaultSession.Start(config, output);
        _cluster.AssertComplete(await session.GatherAsync());

        // Listed, then gone before its committed offsets are read.
        var vanishing = _cluster.Groups[0];
        Cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(300), api: ApiKey.OffsetFetch);
        var fetchesBefore = Cluster.Counters.Requests(ApiKey.OffsetFetch);
        await session.RequestAsync();
        await BrokerFaultTests.WaitUntilAsync(() => Cluster.Counters.Requests(ApiKey.OffsetFetch) > fetchesBefore);
        _cluster.DeleteGroup(vanishing);
        var gather = await session.NextAsync();

        // A deleted group has no offsets any more; it is not a failed collection.
        Assert.False(gather.Partial, gather.ToString());
        Assert.DoesNotContain(vanishing, FaultCluster.GroupsWithOffsets(gather));
        Assert.Equal(_cluster.Groups.Order(StringComparer.Ordinal), FaultCluster.GroupsWithOffsets(gather).Order(StringComparer.Ordinal));

        Cluster.Faults.Clear();
        var after = await session.GatherAsync();
        _cluster.AssertComplete(after);
        Assert.DoesNotContain(vanishing, FaultCluster.GroupsListed(after));
        await session.StopAsync();
    }

    /// <summary>
    /// Everything is there except, at most, the members lines of <paramref name="groups"/>; and if any
    /// is missing, the gather says it is incomplete.
    /// </summary>
    private void AssertNothingButMemberCountsOf(Gather gather, IReadOnlyList<string> groups)
    {
        var listed = FaultCluster.GroupsListed(gather);
        var missing = _cluster.Groups.Except(listed).ToList();
        Assert.True(missing.All(groups.Contains), $"members lines missing for {string.Join(", ", missing)}:\n{gather}");
        Assert.True(missing.Count == 0 || gather.Partial, $"members lines missing without an error:\n{gather}");
        Assert.Equal(_cluster.Groups.Order(StringComparer.Ordinal), FaultCluster.GroupsWithOffsets(gather).Order(StringComparer.Ordinal));
        Assert.Equal(6, FaultCluster.PartitionsWithOffsets(gather, FaultCluster.Orders).Count);
        output.WriteLine($"members lines missing for {missing.Count} of {groups.Count} groups; worker restarts {gather.WorkerRestarts}");
    }
}
