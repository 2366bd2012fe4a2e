using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Metrics;

/// <summary>Terse construction of snapshots for tests.</summary>
internal sealed class SnapshotBuilder
{
    private readonly List<BrokerInfo> _brokers = [];
    private readonly List<TopicInfo> _topics = [];
    private readonly List<ConsumerGroupInfo> _groups = [];
    private readonly List<GatherError> _errors = [];
    private readonly WatermarkTable _watermarks = new();
    private readonly List<TopicConfigValues> _topicConfigs = [];
    private ClusterDescription? _cluster;
    private bool _withoutMetadata;
    private bool _withoutGroups;

    private readonly List<GroupDetail> _details = [];

    public SnapshotBuilder Broker(int id, string host, int port = 9092)
    {
        _brokers.Add(new BrokerInfo(id, host, port));
        return this;
    }

    public SnapshotBuilder Topic(string name, params PartitionInfo[] partitions)
    {
        _topics.Add(new TopicInfo(name, partitions));
        return this;
    }

    public static PartitionInfo Partition(int id, int leader, int[] replicas, int[] isr) => new(id, leader, replicas, isr);

    public static PartitionInfo Healthy(int id, int leader = 1) => new(id, leader, [leader], [leader]);

    public SnapshotBuilder Offsets(string topic, int partition, long? earliest, long? latest)
    {
        if (earliest is { } e)
        {
            _watermarks.SetEarliest(topic, partition, e);
        }

        if (latest is { } l)
        {
            _watermarks.SetLatest(topic, partition, l);
        }

        return this;
    }

    public SnapshotBuilder Group(string id, int? members, params CommittedOffset[]? commits)
    {
        _groups.Add(new ConsumerGroupInfo(id, "Stable", members, commits));
        return this;
    }

    /// <summary>Sets the state of the group added last (groups are "Stable" unless said).</summary>
    public SnapshotBuilder InState(string state)
    {
        _groups[^1] = _groups[^1] with { State = state };
        return this;
    }

    public static CommittedOffset Commit(string topic, int partition, long offset) => new(topic, partition, offset);

    public SnapshotBuilder Error(string source, string message)
    {
        _errors.Add(new GatherError(source, message));
        return this;
    }

    /// <summary>What DescribeCluster answered: the id, the controller and each broker's rack.</summary>
    public SnapshotBuilder Cluster(string? id, int? controller, params (int Id, string? Rack)[] brokers)
    {
        _cluster = new ClusterDescription(id, controller, [.. brokers.Select(b => new BrokerRack(b.Id, b.Rack))]);
        return this;
    }

    /// <summary>A topic's configs as DescribeConfigs read them.</summary>
    public SnapshotBuilder TopicConfigs(string topic, params (string Key, string Value)[] configs)
    {
        _topicConfigs.Add(new TopicConfigValues(topic, [.. configs.Select(c => new ConfigValue(c.Key, c.Value))]));
        return this;
    }

    public SnapshotBuilder WithoutMetadata()
    {
        _withoutMetadata = true;
        return this;
    }

    public SnapshotBuilder WithoutGroups()
    {
        _withoutGroups = true;
        return this;
    }

    /// <summary>What the last group's description said beyond state and member count.</summary>
    public SnapshotBuilder Detail(string? type, string? protocolType, string? assignor, int? coordinator, params GroupMember[] members)
    {
        _details.Add(new GroupDetail(_groups[^1].GroupId, type, protocolType, assignor, coordinator, members));
        return this;
    }

    public static GroupMember Member(string clientId, string host, params (string Topic, int[] Partitions)[] assignment) =>
        new(clientId, host, [.. assignment.Select(a => new AssignedTopic(a.Topic, a.Partitions))]);

    public ClusterSnapshot Build() => new()
    {
        GroupDetails = _withoutGroups ? null : _details.ToDictionary(d => d.GroupId, StringComparer.Ordinal),
        Metadata = _withoutMetadata ? null : new ClusterMetadata(_brokers, _topics),
        Groups = _withoutGroups ? null : _groups,
        Watermarks = _watermarks,
        Errors = _errors,
        Cluster = _cluster,
        TopicConfigs = _topicConfigs.Count > 0
            ? new TopicConfigTable(_topicConfigs, [.. KafkaExecdInput.Metrics.TopicConfigCatalog.DefaultKeys])
            : null,
    };
}
