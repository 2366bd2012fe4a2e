using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.Kafka;

namespace KafkaExecdInput.UnitTests.Kafka;

internal enum AdminApi
{
    GetMetadata,
    ListGroups,
    DescribeConsumerGroups,
    ListConsumerGroupOffsets,
    ListOffsets,
    DescribeCluster,
    DescribeConfigs,
}

/// <summary>One call the reader made: what it asked about, and when on the fake clock.</summary>
internal sealed record AdminCall(AdminApi Api, IReadOnlyList<string> Items, TimeSpan At, TimeSpan? Timeout = null);

/// <summary>
/// An in-memory admin: each call answers through a replaceable handler (by default a healthy
/// one-broker cluster), and every call is logged with the fake time it started at. It counts calls
/// in flight per API, so a test can assert a bound and wait for a call to happen.
/// </summary>
internal sealed class FakeKafkaAdmin(TimerWatchingTimeProvider time) : IKafkaAdmin
{
    private readonly Lock _lock = new();
    private readonly List<AdminCall> _calls = [];
    private readonly Dictionary<AdminApi, (int Now, int Max)> _inFlight = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Met)> _waiters = [];

    public Func<TimeSpan, Metadata> OnGetMetadata { get; set; } = _ => Cluster.Metadata(("t", Partitions: 1, Leader: 1));

    public Func<TimeSpan, List<GroupInfo>> OnListGroups { get; set; } = _ => [];

    public Func<string[], Task<DescribeConsumerGroupsResult>> OnDescribeConsumerGroups { get; set; } =
        groups => Task.FromResult(Cluster.Described(groups.Select(g => Cluster.Stable(g, members: 1)).ToArray()));

    public Func<string, Task<List<TopicPartitionOffsetError>>> OnListConsumerGroupOffsets { get; set; } =
        _ => Task.FromResult(new List<TopicPartitionOffsetError> { Cluster.Committed("t", 0, 5) });

    public Func<TopicPartitionOffsetSpec[], Task<ListOffsetsResult>> OnListOffsets { get; set; } =
        specs => Task.FromResult(Cluster.Offsets(specs, earliest: 0, latest: 10));

    public Func<Task<DescribeClusterResult>> OnDescribeCluster { get; set; } = () => Task.FromResult(new DescribeClusterResult
    {
        ClusterId = "cluster-1",
        Controller = new Node { Id = 1, Host = "broker-1", Port = 9092 },
        Nodes = [new Node { Id = 1, Host = "broker-1", Port = 9092, Rack = "rack-a" }],
    });

    public Func<ConfigResource[], Task<List<DescribeConfigsResult>>> OnDescribeConfigs { get; set; } =
        resources => Task.FromResult(resources.Select(r => new DescribeConfigsResult
        {
            ConfigResource = r,
            Entries = new Dictionary<string, ConfigEntryResult>
            {
                ["min.insync.replicas"] = new() { Name = "min.insync.replicas", Value = "1" },
                ["retention.ms"] = new() { Name = "retention.ms", Value = "604800000" },
            },
        }).ToList());

    public IReadOnlyList<AdminCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<AdminCall> CallsTo(AdminApi api) => [.. Calls.Where(c => c.Api == api)];

    public int MaxInFlight(AdminApi api)
    {
        lock (_lock)
        {
            return _inFlight.GetValueOrDefault(api).Max;
        }
    }

    public Task WaitForCallsAsync(AdminApi api, int count) => WaitUntilAsync(() => _calls.Count(c => c.Api == api) >= count);

    public Task WaitForInFlightAsync(AdminApi api, int count) => WaitUntilAsync(() => _inFlight.GetValueOrDefault(api).Now >= count);

    public Metadata GetMetadata(TimeSpan timeout)
    {
        Record(AdminApi.GetMetadata, [], timeout);
        return OnGetMetadata(timeout);
    }

    public List<GroupInfo> ListGroups(TimeSpan timeout)
    {
        Record(AdminApi.ListGroups, [], timeout);
        return OnListGroups(timeout);
    }

    public Task<DescribeConsumerGroupsResult> DescribeConsumerGroupsAsync(IEnumerable<string> groups, DescribeConsumerGroupsOptions options)
    {
        var ids = groups.ToArray();
        return InFlightAsync(AdminApi.DescribeConsumerGroups, ids, () => OnDescribeConsumerGroups(ids));
    }

    public Task<List<ListConsumerGroupOffsetsResult>> ListConsumerGroupOffsetsAsync(
        IEnumerable<ConsumerGroupTopicPartitions> groupPartitions, ListConsumerGroupOffsetsOptions options)
    {
        var group = groupPartitions.Single().Group;
        return InFlightAsync(AdminApi.ListConsumerGroupOffsets, [group], async () =>
            new List<ListConsumerGroupOffsetsResult> { new() { Group = group, Partitions = await OnListConsumerGroupOffsets(group).ConfigureAwait(false) } });
    }

    public Task<ListOffsetsResult> ListOffsetsAsync(IEnumerable<TopicPartitionOffsetSpec> partitions, ListOffsetsOptions options)
    {
        var specs = partitions.ToArray();
        return InFlightAsync(AdminApi.ListOffsets, [.. specs.Select(s => $"{s.TopicPartition.Topic}/{s.TopicPartition.Partition.Value}")],
            () => OnListOffsets(specs));
    }

    public Task<DescribeClusterResult> DescribeClusterAsync(DescribeClusterOptions options) =>
        InFlightAsync(AdminApi.DescribeCluster, [], OnDescribeCluster);

    public Task<List<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, DescribeConfigsOptions options)
    {
        var asked = resources.ToArray();
        return InFlightAsync(AdminApi.DescribeConfigs, [.. asked.Select(r => r.Name)], () => OnDescribeConfigs(asked));
    }

    private async Task<T> InFlightAsync<T>(AdminApi api, IReadOnlyList<string> items, Func<Task<T>> handler)
    {
        lock (_lock)
        {
            var (now, max) = _inFlight.GetValueOrDefault(api);
            _inFlight[api] = (now + 1, Math.Max(max, now + 1));
        }
        Record(api, items, timeout: null);
        try
        {
            return await handler().ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                var (now, max) = _inFlight[api];
                _inFlight[api] = (now - 1, max);
            }
        }
    }

    private void Record(AdminApi api, IReadOnlyList<string> items, TimeSpan? timeout)
    {
        lock (_lock)
        {
            _calls.Add(new AdminCall(api, items, time.Elapsed, timeout));
            foreach (var waiter in _waiters.Where(w => w.Condition()).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Met.TrySetResult();
            }
        }
    }

    private Task WaitUntilAsync(Func<bool> condition)
    {
        lock (_lock)
        {
            if (condition())
            {
                return Task.CompletedTask;
            }
            var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, met));
            return met.Task.WaitAsync(TestWait.Limit);
        }
    }
}

/// <summary>Builds Confluent.Kafka's result types for the fake admin's answers.</summary>
internal static class Cluster
{
    public static readonly BrokerMetadata Broker = new(1, "broker-1", 9092);

    public static Metadata Metadata(params (string Topic, int Partitions, int Leader)[] topics) => new(
        [Broker],
        [.. topics.Select(t => new TopicMetadata(
            t.Topic,
            [.. Enumerable.Range(0, t.Partitions).Select(p => new PartitionMetadata(p, t.Leader, [t.Leader], [t.Leader], new Error(ErrorCode.NoError)))],
            new Error(ErrorCode.NoError)))],
        Broker.BrokerId,
        Broker.Host);

    public static GroupInfo Listed(string group, int members = 1) =>
        new(Broker, group, new Error(ErrorCode.NoError), "Stable", "consumer", "range",
            [.. Enumerable.Range(0, members).Select(m => new GroupMemberInfo($"m{m}", "client", "/127.0.0.1", [], []))]);

    /// <summary>A group the listing found but whose DescribeGroups answer was an error.</summary>
    public static GroupInfo ListedUndescribed(string group) =>
        new(Broker, group, new Error(ErrorCode.GroupLoadInProgress), "", "", "", []);

    public static ConsumerGroupDescription Stable(string group, int members) => new()
    {
        GroupId = group,
        Error = new Error(ErrorCode.NoError),
        State = ConsumerGroupState.Stable,
        Members = [.. Enumerable.Range(0, members).Select(m => new MemberDescription { ConsumerId = $"m{m}" })],
    };

    public static ConsumerGroupDescription NotFound(string group) => new()
    {
        GroupId = group,
        Error = new Error(ErrorCode.GroupIdNotFound),
        Members = [],
    };

    public static DescribeConsumerGroupsResult Described(params ConsumerGroupDescription[] groups) =>
        new() { ConsumerGroupDescriptions = [.. groups] };

    public static TopicPartitionOffsetError Committed(string topic, int partition, long offset) =>
        new(new TopicPartition(topic, partition), new Offset(offset), new Error(ErrorCode.NoError));

    public static ListConsumerGroupOffsetsException OffsetFetchFailed(string group, ErrorCode code) =>
        new([new ListConsumerGroupOffsetsReport { Group = group, Error = new Error(code), Partitions = [] }]);

    public static ListOffsetsResult Offsets(IEnumerable<TopicPartitionOffsetSpec> specs, long earliest, long latest) => new()
    {
        ResultInfos = [.. specs.Select(s => new ListOffsetsResultInfo
        {
            TopicPartitionOffsetError = new TopicPartitionOffsetError(
                s.TopicPartition, new Offset(s.OffsetSpec is OffsetSpec.EarliestSpec ? earliest : latest), new Error(ErrorCode.NoError)),
        })],
    };
}
