using KafkaTestCluster.Apis;
using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.State;

/// <summary>
/// Everything the brokers serve. One lock (<see cref="Sync"/>) guards it: test code mutates it while brokers
/// answer requests, and a request handler holds the lock for the short time it reads or changes state, so
/// every response is a consistent snapshot. Members ending in "Locked" expect the caller to hold the lock.
/// </summary>
internal sealed class ClusterState
{
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, TopicState> _topicsById = [];
    private readonly Dictionary<string, GroupData> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _coordinatorOverrides = new(StringComparer.Ordinal);
    private readonly BrokerNode[] _brokers;
    private int _topicsCreated;
    private long _nextProducerId = 1000;

    public ClusterState(ClusterOptions options, BrokerNode[] brokers, string listenerName, ApiRegistry apis)
    {
        Apis = apis;
        _brokers = brokers;
        ClusterId = options.ClusterId;
        ControllerId = options.ControllerId ?? brokers[0].Id;
        ListenerName = listenerName;
        DefaultPartitions = options.DefaultPartitions;
        DefaultReplicationFactor = Math.Min(options.DefaultReplicationFactor ?? 3, brokers.Length);
        AutoCreateTopics = options.AutoCreateTopics;
        TimestampBaseMs = options.RecordTimestampBase.ToUnixTimeMilliseconds();
        TimestampStepMs = (long)options.RecordTimestampStep.TotalMilliseconds;
    }

    public Lock Sync { get; } = new();

    /// <summary>The APIs these brokers serve and advertise (ApiVersions lists them).</summary>
    public ApiRegistry Apis { get; }

    public string ClusterId { get; }

    public int ControllerId { get; }

    public string ListenerName { get; }

    public int DefaultPartitions { get; }

    public int DefaultReplicationFactor { get; }

    public bool AutoCreateTopics { get; }

    public long TimestampBaseMs { get; }

    public long TimestampStepMs { get; }

    public IReadOnlyList<BrokerNode> Brokers => _brokers;

    public BrokerNode? Broker(int id) => Array.Find(_brokers, b => b.Id == id);

    public BrokerNode RequireBroker(int id) =>
        Broker(id) ?? throw new ArgumentException($"No broker with id {id}.", nameof(id));

    // ---------------------------------------------------------------- topics

    public IReadOnlyCollection<TopicState> TopicsLocked => _topics.Values;

    public TopicState? FindTopicLocked(string name) => _topics.GetValueOrDefault(name);

    public TopicState? FindTopicLocked(Guid id) => _topicsById.GetValueOrDefault(id);

    /// <summary>Kafka's legal topic names: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".</summary>
    public static string? TopicNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "Topic name is illegal, it can't be empty";
        }

        if (name is "." or "..")
        {
            return "Topic name cannot be \".\" or \"..\"";
        }

        if (name.Length > 249)
        {
            return $"Topic name is illegal, it can't be longer than 249 characters, topic name: {name}";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }

        return null;
    }

    /// <summary>
    /// Replicas for each partition: round-robin over the brokers, each topic starting one broker further on.
    /// Brokers that are down are skipped while enough others are up, as a controller places only on live ones.
    /// </summary>
    public int[][] AssignReplicasLocked(int partitions, int replicationFactor)
    {
        var live = Array.FindAll(_brokers, b => !b.IsDown);
        var candidates = live.Length >= replicationFactor ? live : _brokers;
        var start = _topicsCreated % candidates.Length;
        var assignment = new int[partitions][];
        for (var p = 0; p < partitions; p++)
        {
            var replicas = new int[replicationFactor];
            for (var r = 0; r < replicationFactor; r++)
            {
                replicas[r] = candidates[(start + p + r) % candidates.Length].Id;
            }

            assignment[p] = replicas;
        }

        return assignment;
    }

    public TopicState CreateTopicLocked(string name, int[][] assignment, IReadOnlyDictionary<string, string>? configs, bool isInternal)
    {
        var partitions = new PartitionState[assignment.Length];
        for (var p = 0; p < assignment.Length; p++)
        {
            var replicas = assignment[p];
            partitions[p] = new PartitionState(p, replicas, replicas.Length > 0 ? replicas[0] : -1, (int[])replicas.Clone());
            partitions[p].Timeline.SyntheticBaseMs = TimestampBaseMs;
            partitions[p].Timeline.SyntheticStepMs = TimestampStepMs;
        }

        _topicsCreated++;
        var overrides = configs is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(configs, StringComparer.Ordinal);
        var topic = new TopicState(name, KafkaUuid.FromName(name, _topicsCreated), isInternal, partitions, overrides);
        _topics[name] = topic;
        _topicsById[topic.TopicId] = topic;
        return topic;
    }

    public void CreateTopic(string name, int partitions, int replicationFactor, IReadOnlyDictionary<string, string>? configs, bool isInternal)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TopicNameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        lock (Sync)
        {
            if (_topics.ContainsKey(name))
            {
                throw new InvalidOperationException($"Topic '{name}' already exists.");
            }

            // The documented default (3) is capped so a one-broker cluster takes the same call.
            var rf = Math.Min(replicationFactor, _brokers.Length);
            CreateTopicLocked(name, AssignReplicasLocked(partitions, rf), configs, isInternal);
        }
    }

    public void SetTopicConfig(string name, string key, string? value)
    {
        lock (Sync)
        {
            var topic = RequireTopicLocked(name);
            if (value is null)
            {
                topic.ConfigOverrides.Remove(key);
            }
            else
            {
                topic.ConfigOverrides[key] = value;
            }
        }
    }

    public void DeleteTopic(string name)
    {
        lock (Sync)
        {
            var topic = RequireTopicLocked(name);
            _topics.Remove(name);
            _topicsById.Remove(topic.TopicId);
        }
    }

    public TopicState RequireTopicLocked(string name) =>
        _topics.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"Topic '{name}' does not exist.");

    private PartitionState RequirePartitionLocked(string topic, int partition) =>
        RequireTopicLocked(topic).Partition(partition)
        ?? throw new KeyNotFoundException($"Topic '{topic}' has no partition {partition}.");

    public void SetPartition(string topic, int partition, IReadOnlyList<int> replicas, int leader, IReadOnlyList<int> isr, IReadOnlyList<int>? offlineReplicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(isr);
        foreach (var id in replicas.Concat(isr).Concat(offlineReplicas ?? []))
        {
            RequireBroker(id);
        }

        if (leader != -1 && !replicas.Contains(leader))
        {
            throw new ArgumentException($"Leader {leader} is not one of the replicas.", nameof(leader));
        }

        lock (Sync)
        {
            var state = RequirePartitionLocked(topic, partition);
            state.Replicas = [.. replicas];
            state.Isr = [.. isr];
            state.OfflineReplicas = offlineReplicas is null ? [] : [.. offlineReplicas];
            if (state.Leader != leader)
            {
                state.LeaderEpoch++;
            }

            state.Leader = leader;
        }
    }

    public void SetWatermarks(string topic, int partition, long low, long high)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(low);
        ArgumentOutOfRangeException.ThrowIfLessThan(high, low);
        lock (Sync)
        {
            var state = RequirePartitionLocked(topic, partition);
            state.LogStartOffset = low;
            if (high < state.HighWatermark)
            {
                state.Timeline.TruncateTo(high);
            }

            state.HighWatermark = high;
        }
    }

    public void AdvanceHighWatermark(string topic, int partition, long by)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(by);
        lock (Sync)
        {
            RequirePartitionLocked(topic, partition).HighWatermark += by;
        }
    }

    public (long Low, long High) GetWatermarks(string topic, int partition)
    {
        lock (Sync)
        {
            var state = RequirePartitionLocked(topic, partition);
            return (state.LogStartOffset, state.HighWatermark);
        }
    }

    public void SetRecordTimestamps(string topic, int partition, long baseMs, long stepMs)
    {
        // Timestamps must not decrease with the offset: the by-timestamp search relies on it.
        ArgumentOutOfRangeException.ThrowIfNegative(stepMs);
        lock (Sync)
        {
            var timeline = RequirePartitionLocked(topic, partition).Timeline;
            timeline.SyntheticBaseMs = baseMs;
            timeline.SyntheticStepMs = stepMs;
        }
    }

    // ---------------------------------------------------------------- groups

    public IReadOnlyCollection<GroupData> GroupsLocked => _groups.Values;

    public GroupData? FindGroupLocked(string groupId) => _groups.GetValueOrDefault(groupId);

    public GroupData GetOrCreateGroupLocked(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            group = new GroupData(groupId);
            _groups[groupId] = group;
        }

        return group;
    }

    public void SetGroup(GroupSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.GroupId);
        var members = new List<MemberData>(spec.Members.Count);
        foreach (var m in spec.Members)
        {
            members.Add(new MemberData(m.MemberId, m.GroupInstanceId, m.ClientId, m.Host,
                ConsumerProtocol.EncodeSubscription(m.Assignment), ConsumerProtocol.EncodeAssignment(m.Assignment)));
        }

        lock (Sync)
        {
            // Replacing membership keeps committed offsets: they belong to the group, not to its members.
            var group = GetOrCreateGroupLocked(spec.GroupId);
            group.Consumer = null;
            group.State = spec.State;
            group.ProtocolType = spec.ProtocolType;
            group.Protocol = spec.State is GroupState.Stable or GroupState.CompletingRebalance ? spec.Protocol : "";
            group.Members = members;

            // Every new membership is a new generation, so commits from the previous one get ILLEGAL_GENERATION.
            group.GenerationId = spec.State == GroupState.Empty && members.Count == 0 ? group.GenerationId : group.GenerationId + 1;
        }
    }

    public void SetConsumerGroup(ConsumerGroupSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.GroupId);
        ArgumentException.ThrowIfNullOrEmpty(spec.Assignor);
        foreach (var m in spec.Members)
        {
            ArgumentException.ThrowIfNullOrEmpty(m.MemberId);
        }

        lock (Sync)
        {
            // Replacing the group keeps committed offsets, as SetGroup does; a classic group becomes a
            // consumer group, as Kafka 4 converts one when a KIP-848 member joins it.
            var group = GetOrCreateGroupLocked(spec.GroupId);
            var groupEpoch = spec.GroupEpoch ?? (group.Consumer?.GroupEpoch ?? 0) + 1;
            var assignmentEpoch = spec.AssignmentEpoch
                ?? (spec.State == ConsumerProtocolGroupState.Assigning ? Math.Max(groupEpoch - 1, 0) : groupEpoch);
            var members = new List<ConsumerMemberData>(spec.Members.Count);
            foreach (var m in spec.Members)
            {
                var target = m.TargetAssignment ?? m.Assignment;
                var reconciled = target.Count == m.Assignment.Count && !target.Except(m.Assignment).Any();
                members.Add(new ConsumerMemberData(m.MemberId, m.InstanceId, m.RackId,
                    m.MemberEpoch ?? (reconciled ? assignmentEpoch : Math.Max(assignmentEpoch - 1, 0)),
                    m.ClientId, m.Host, [.. m.SubscribedTopics], m.SubscribedTopicRegex, [.. m.Assignment], [.. target]));
            }

            group.Consumer = new ConsumerGroupData(spec.State, spec.Assignor, groupEpoch, assignmentEpoch, members);
            group.State = GroupState.Empty;
            group.ProtocolType = "consumer";
            group.Protocol = "";
            group.Members = [];
        }
    }

    public void DeleteGroup(string groupId)
    {
        lock (Sync)
        {
            _groups.Remove(groupId);
        }
    }

    public void CommitOffset(string groupId, string topic, int partition, long offset, string? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        ArgumentNullException.ThrowIfNull(topic);
        lock (Sync)
        {
            GetOrCreateGroupLocked(groupId).Commit(topic, partition,
                new CommittedOffset(offset, -1, metadata ?? "", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
    }

    public long? GetCommittedOffset(string groupId, string topic, int partition)
    {
        lock (Sync)
        {
            return FindGroupLocked(groupId)?.Committed(topic, partition)?.Offset;
        }
    }

    /// <summary>
    /// Like Kafka's partitionFor(groupId) over a __consumer_offsets topic with one partition per broker:
    /// Java's String.hashCode, so the mapping is stable across runs and processes.
    /// </summary>
    public int CoordinatorOf(string groupId)
    {
        lock (Sync)
        {
            return CoordinatorOfLocked(groupId);
        }
    }

    public int CoordinatorOfLocked(string groupId)
    {
        if (_coordinatorOverrides.TryGetValue(groupId, out var moved))
        {
            return moved;
        }

        var hash = 0;
        foreach (var c in groupId)
        {
            hash = unchecked((31 * hash) + c);
        }

        return _brokers[(hash & 0x7FFFFFFF) % _brokers.Length].Id;
    }

    public void MoveCoordinator(string groupId, int brokerId)
    {
        RequireBroker(brokerId);
        lock (Sync)
        {
            _coordinatorOverrides[groupId] = brokerId;
        }
    }

    public long NextProducerIdLocked() => _nextProducerId++;
}
