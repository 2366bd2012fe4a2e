using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// The cluster every fault case starts from: three brokers, two topics whose partitions are led by
/// every broker, and consumer groups coordinated by every broker, each with committed offsets. It
/// knows what a complete gather of its current state looks like, so a case can check that the
/// gather after a fault is whole again — values included, not just line counts.
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    public const string Orders = "orders";
    public const string Audit = "audit";

    private readonly Dictionary<string, int> _topics = new(StringComparer.Ordinal) { [Orders] = 6, [Audit] = 3 };

    private readonly List<string> _groups;

    private FaultCluster(TestCluster cluster, List<string> groups)
    {
        Cluster = cluster;
        _groups = groups;
    }

    /// <summary>Topics that exist now, with their partition counts.</summary>
    public IReadOnlyDictionary<string, int> Topics => _topics;

    public void DeleteGroup(string groupId)
    {
        Cluster.DeleteGroup(groupId);
        _groups.Remove(groupId);
    }

    /// <summary>Adds a group (see <see cref="AddGroup(TestCluster, string, bool)"/>) that complete gathers must include.</summary>
    public void AddGroup(string groupId, bool stable)
    {
        AddGroup(Cluster, groupId, stable);
        _groups.Add(groupId);
    }

    public void DeleteTopic(string topic)
    {
        Cluster.DeleteTopic(topic);
        _topics.Remove(topic);
    }

    public TestCluster Cluster { get; }

    /// <summary>Every group, each coordinated by some broker (every broker coordinates at least two).</summary>
    public IReadOnlyList<string> Groups => _groups;

    public ClusterFaults Faults => Cluster.Faults;

    public static FaultCluster Start(ClusterOptions? options = null, int groupsPerBroker = 2)
    {
        var cluster = TestCluster.Start(options ?? new ClusterOptions { Brokers = 3 });
        cluster.CreateTopic(Orders, 6);
        cluster.CreateTopic(Audit, 3);
        for (var p = 0; p < 6; p++)
        {
            cluster.SetWatermarks(Orders, p, low: p, high: 1_000 + p);
        }
        for (var p = 0; p < 3; p++)
        {
            cluster.SetWatermarks(Audit, p, low: 0, high: 500 + p);
        }

        var groups = new List<string>();
        var perBroker = cluster.BrokerIds.ToDictionary(id => id, _ => 0);
        for (var n = 0; perBroker.Values.Any(c => c < groupsPerBroker); n++)
        {
            var groupId = $"group-{n}";
            var coordinator = cluster.CoordinatorOf(groupId);
            if (perBroker[coordinator] >= groupsPerBroker)
            {
                continue;
            }
            perBroker[coordinator]++;
            AddGroup(cluster, groupId, stable: groups.Count % 2 == 0);
            groups.Add(groupId);
        }
        return new FaultCluster(cluster, groups);
    }

    /// <summary>A group with commits on every orders partition and on audit/0; stable ones have a member.</summary>
    public static void AddGroup(TestCluster cluster, string groupId, bool stable)
    {
        cluster.SetGroup(stable
            ? new GroupSpec(groupId, GroupState.Stable, [new MemberSpec($"{groupId}-m", "app", "/10.0.0.1", [new(Orders, 0)])])
            : new GroupSpec(groupId, GroupState.Empty, []));
        for (var p = 0; p < 6; p++)
        {
            cluster.CommitOffset(groupId, Orders, p, 900 + p);
        }
        cluster.CommitOffset(groupId, Audit, 0, 400);
    }

    public IReadOnlyList<string> GroupsCoordinatedBy(int brokerId) => [.. Groups.Where(g => Cluster.CoordinatorOf(g) == brokerId)];

    /// <summary>A config with short timeouts: fault cases end in seconds.</summary>
    public PluginConfigFile Config(string extra = "", string timeout = "3s", string requestTimeout = "1s") =>
        new(Cluster.BootstrapServers, extra, timeout: timeout, requestTimeout: requestTimeout);

    /// <summary>
    /// The gather is complete: no error, not partial, and every broker, partition (both offsets),
    /// group and committed offset of the current cluster state is there with its exact value.
    /// </summary>
    public void AssertComplete(Gather gather)
    {
        try
        {
            AssertCompleteValues(gather);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            // The gather's E! summary may trail its block a little: give it a moment to arrive.
            Thread.Sleep(300);
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{gather}");
        }
    }

    private void AssertCompleteValues(Gather gather)
    {
        AssertAccounted(gather);
        Assert.True(gather.Errors == 0 && !gather.Partial, "expected a complete gather");
        var lines = gather.Lines;
        Assert.Equal(Cluster.BrokerIds.Count, lines.Single("kafka").Int("brokers"));
        Assert.Equal(_topics.Count, gather.Measurement("kafka_topic").Count());
        foreach (var (topic, partitions) in _topics)
        {
            Assert.Equal(partitions, lines.Single("kafka_topic", ("topic", topic)).Int("partitions"));
            for (var p = 0; p < partitions; p++)
            {
                var line = lines.Single("kafka_topic_partition", ("partition", $"{p}"), ("topic", topic));
                var (low, high) = Cluster.GetWatermarks(topic, p);
                Assert.Equal(high, line.Int("current_offset"));
                Assert.Equal(low, line.Int("oldest_offset"));
            }
        }
        foreach (var group in Groups)
        {
            _ = lines.Single("kafka_consumergroup", ("consumergroup", group));
            for (var p = 0; p < 6; p++)
            {
                var line = lines.Single("kafka_consumergroup", ("consumergroup", group), ("partition", $"{p}"), ("topic", Orders));
                Assert.Equal(Cluster.GetCommittedOffset(group, Orders, p), line.Int("current_offset"));
            }
        }
    }

    /// <summary>
    /// What every gather must satisfy, faulty or not: kafka_collector counts what it claims (lines
    /// written, errors), and a gather is partial exactly when it counted errors.
    /// </summary>
    public static void AssertAccounted(Gather gather)
    {
        var collector = gather.Collector;
        Assert.Equal(gather.Lines.Count - 1, collector.Int("lines"));
        Assert.True(gather.Partial == (gather.Errors > 0), $"partial and errors disagree:\n{gather}");
        Assert.Single(gather.Lines.Select(l => l.Timestamp).Distinct());
    }

    /// <summary>Partitions of <paramref name="topic"/> with both offsets in this gather.</summary>
    public static IReadOnlyList<int> PartitionsWithOffsets(Gather gather, string topic) =>
        [.. gather.Measurement("kafka_topic_partition")
            .Where(l => l.Tag("topic") == topic && l.Field("current_offset") is long && l.Field("oldest_offset") is long)
            .Select(l => int.Parse(l.Tag("partition")!, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Groups that have committed-offset lines in this gather.</summary>
    public static IReadOnlyList<string> GroupsWithOffsets(Gather gather) =>
        [.. gather.Measurement("kafka_consumergroup").Where(l => l.Tag("partition") is not null).Select(l => l.Tag("consumergroup")!).Distinct()];

    /// <summary>Groups that have a members line in this gather.</summary>
    public static IReadOnlyList<string> GroupsListed(Gather gather) =>
        [.. gather.Measurement("kafka_consumergroup").Where(l => l.Tags.Count == 1).Select(l => l.Tag("consumergroup")!)];

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
