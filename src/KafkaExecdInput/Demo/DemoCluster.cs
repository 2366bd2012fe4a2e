using KafkaTestCluster;

namespace KafkaExecdInput.Demo;

/// <summary>
/// The cluster behind --demo: the project's Kafka test cluster, in this process, with a small
/// realistic state (design.md §6) whose offsets move before every gather so lag changes visibly.
/// It exercises everything a user would look for: an under-replicated partition, a non-preferred
/// leader, an internal topic, and groups that are stable, empty and rebalancing: classic ones, KIP-848
/// consumer-type ones (one of them reconciling) and one that commits partitions nobody owns. From
/// the second gather on, lag status shows a healthy consumer (OK), one that falls behind (WARN), one
/// that commits the same offsets while lag grows (STALL) and one nobody runs (STOP).
/// </summary>
internal sealed class DemoCluster : IDisposable
{
    private readonly TestCluster _cluster;
    private readonly Random _random = new(20261125); // fixed seed: the same demo every run
    private readonly List<DemoTopic> _topics;
    private readonly List<DemoGroup> _groups;

    private DemoCluster(TestCluster cluster, List<DemoTopic> topics, List<DemoGroup> groups)
    {
        _cluster = cluster;
        _topics = topics;
        _groups = groups;
    }

    public string BootstrapServers => _cluster.BootstrapServers;

    public static DemoCluster Start()
    {
        var cluster = TestCluster.Start(new ClusterOptions { Brokers = 3, Racks = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
        try
        {
            List<DemoTopic> topics =
            [
                new("orders", Partitions: 12, MessagesPerGather: 40),
                new("payments", Partitions: 6, MessagesPerGather: 15),
                new("clickstream", Partitions: 24, MessagesPerGather: 300),
                new("inventory", Partitions: 6, MessagesPerGather: 8),
                new("audit-log", Partitions: 3, MessagesPerGather: 5),
            ];
            foreach (var topic in topics)
            {
                cluster.CreateTopic(topic.Name, topic.Partitions);
            }
            cluster.CreateTopic("__consumer_offsets", 50, isInternal: true);

            var brokers = cluster.BrokerIds;
            // payments/2 has lost a follower: under-replicated.
            cluster.SetPartition("payments", 2, [brokers[0], brokers[1], brokers[2]], brokers[0], [brokers[0], brokers[1]]);
            // inventory/0 is led by its second replica: leader is not the preferred one.
            cluster.SetPartition("inventory", 0, [brokers[1], brokers[2], brokers[0]], brokers[2], [brokers[1], brokers[2], brokers[0]]);
            SetTopicDetails(cluster, brokers);

            var random = new Random(7);
            foreach (var topic in topics)
            {
                for (var partition = 0; partition < topic.Partitions; partition++)
                {
                    var low = topic.Name == "audit-log" ? 0 : random.Next(0, 5_000);
                    cluster.SetWatermarks(topic.Name, partition, low, low + random.Next(50_000, 250_000));
                }
            }
            SetRecordTimestamps(cluster, topics, DateTimeOffset.UtcNow);

            List<DemoGroup> groups =
            [
                new("order-service", GroupState.Stable, "orders", Members: 3, Commits: true),
                new("payment-processor", GroupState.Stable, "payments", Members: 2, Commits: true),
                new("clickstream-enricher", GroupState.Stable, "clickstream", Members: 4, Commits: true),
                new("inventory-sync", GroupState.PreparingRebalance, "inventory", Members: 2, Commits: true),
                new("fraud-detector", GroupState.CompletingRebalance, "payments", Members: 1, Commits: true),
                // Nobody consumes any more: its lag grows with every gather.
                new("audit-archiver", GroupState.Empty, "audit-log", Members: 0, Commits: false),
                // Joined but has not committed yet: members, but no offsets and no lag.
                new("new-dashboard", GroupState.Stable, "orders", Members: 1, Commits: false, HasOffsets: false),
                // A KIP-848 group (group.protocol=consumer), described by ConsumerGroupDescribe, next to the classic ones.
                new("shipment-tracker", GroupState.Stable, "orders", Members: 3, Commits: true, Kip848: true),
                // A KIP-848 group mid-rebalance: its members still reconcile towards a new target assignment.
                new("search-indexer", GroupState.Stable, "clickstream", Members: 2, Commits: true, Kip848: true, Reconciling: true),
                // Its one member owns 4 of payments' 6 partitions; 4 and 5 keep old commits that nobody owns.
                new("refund-worker", GroupState.Stable, "payments", Members: 1, Commits: true, AssignedPartitions: 4),
                // Alive and committing, but always the same offsets while orders grows: STALL from the second gather.
                new("report-builder", GroupState.Stable, "orders", Members: 1, Commits: true, Pace: ConsumerPace.Stuck),
                // Keeps up with a quarter of clickstream's rate: its lag grows every gather, WARN.
                new("ml-feature-loader", GroupState.Stable, "clickstream", Members: 2, Commits: true, Pace: ConsumerPace.Slow),
            ];
            var partitionCounts = topics.ToDictionary(t => t.Name, t => t.Partitions);
            foreach (var group in groups)
            {
                if (group.Kip848)
                {
                    cluster.SetConsumerGroup(group.ToConsumerSpec(partitionCounts[group.Topic]));
                }
                else
                {
                    cluster.SetGroup(group.ToSpec(partitionCounts[group.Topic]));
                }
                if (!group.HasOffsets)
                {
                    continue;
                }
                for (var partition = 0; partition < partitionCounts[group.Topic]; partition++)
                {
                    var (_, high) = cluster.GetWatermarks(group.Topic, partition);
                    cluster.CommitOffset(group.GroupId, group.Topic, partition, high - random.Next(0, 400));
                }
            }
            return new DemoCluster(cluster, topics, groups);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Producers write and consumers commit between gathers, so offsets and lag move.</summary>
    public Task AdvanceAsync(CancellationToken cancellationToken)
    {
        foreach (var topic in _topics)
        {
            for (var partition = 0; partition < topic.Partitions; partition++)
            {
                _cluster.AdvanceHighWatermark(topic.Name, partition, _random.Next(0, topic.MessagesPerGather * 2 + 1));
            }
        }
        foreach (var group in _groups.Where(g => g.Commits))
        {
            var topic = _topics.First(t => t.Name == group.Topic);
            for (var partition = 0; partition < topic.Partitions; partition++)
            {
                var (_, high) = _cluster.GetWatermarks(group.Topic, partition);
                var last = _cluster.GetCommittedOffset(group.GroupId, group.Topic, partition) ?? 0;
                var next = group.Pace switch
                {
                    ConsumerPace.Stuck => last,
                    ConsumerPace.Slow => Math.Min(high, last + (topic.MessagesPerGather / 4)),
                    // A live consumer never commits backwards (Burrow's REWIND) and, with lag, moves on
                    // by at least half of it (the same offset would be STALL).
                    _ => Math.Max(last + ((high - last + 1) / 2), high - _random.Next(0, 200)),
                };
                _cluster.CommitOffset(group.GroupId, group.Topic, partition, next);
            }
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _cluster.Dispose();

    /// <summary>
    /// What the cluster and topic families show: topics with their own retention and cleanup policy, a
    /// partition below its topic's min.insync.replicas, and a topic with an offline partition.
    /// </summary>
    private static void SetTopicDetails(TestCluster cluster, IReadOnlyList<int> brokers)
    {
        cluster.SetTopicConfig("__consumer_offsets", "cleanup.policy", "compact");
        cluster.SetTopicConfig("clickstream", "retention.ms", "86400000");
        cluster.SetTopicConfig("audit-log", "retention.ms", "-1");
        cluster.SetTopicConfig("audit-log", "retention.bytes", "1099511627776");
        cluster.SetTopicConfig("inventory", "cleanup.policy", "compact,delete");
        // payments needs two in-sync replicas to accept a write; payments/4 has only its leader left.
        cluster.SetTopicConfig("payments", "min.insync.replicas", "2");
        cluster.SetPartition("payments", 4, [brokers[1], brokers[2], brokers[0]], brokers[1], [brokers[1]]);
        // legacy-events/1 has no leader: every replica's broker lost it.
        cluster.CreateTopic("legacy-events", 2);
        cluster.SetPartition("legacy-events", 1, [brokers[2], brokers[0], brokers[1]], -1, []);
    }

    /// <summary>Nominal time between two demo gathers; each topic writes its MessagesPerGather in it.</summary>
    private static readonly TimeSpan GatherPeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gives every record a timestamp, as if each topic had been written at its steady rate up to
    /// <paramref name="now"/>, so lag in seconds has real ages to show (exact mode reads them; the
    /// group that stopped consuming is minutes behind).
    /// </summary>
    private static void SetRecordTimestamps(TestCluster cluster, List<DemoTopic> topics, DateTimeOffset now)
    {
        foreach (var topic in topics)
        {
            var step = GatherPeriod / topic.MessagesPerGather;
            for (var partition = 0; partition < topic.Partitions; partition++)
            {
                var (_, high) = cluster.GetWatermarks(topic.Name, partition);
                cluster.SetRecordTimestamps(topic.Name, partition, now - (step * high), step);
            }
        }
    }

    private sealed record DemoTopic(string Name, int Partitions, int MessagesPerGather);

    /// <summary>How a committing group's offsets move between gathers.</summary>
    private enum ConsumerPace
    {
        /// <summary>Close behind the latest offset: never backwards, and on whenever there is lag.</summary>
        KeepsUp,

        /// <summary>A quarter of the topic's rate: lag grows.</summary>
        Slow,

        /// <summary>The same offset every time.</summary>
        Stuck,
    }

    /// <param name="Kip848">A consumer-type group (KIP-848) rather than a classic one.</param>
    /// <param name="Reconciling">For a KIP-848 group: its target assignment moves the last partition to the first member.</param>
    /// <param name="AssignedPartitions">How many of the topic's partitions (the first ones) are assigned; all by default.</param>
    /// <param name="Pace">How its commits move between gathers, when it commits.</param>
    private sealed record DemoGroup(string GroupId, GroupState State, string Topic, int Members, bool Commits, bool HasOffsets = true,
        bool Kip848 = false, bool Reconciling = false, int? AssignedPartitions = null, ConsumerPace Pace = ConsumerPace.KeepsUp)
    {
        /// <summary>The group as a classic one.</summary>
        public GroupSpec ToSpec(int partitions)
        {
            var members = Enumerable.Range(0, Members).Select(m => new MemberSpec(
                MemberId: $"{GroupId}-{m + 1}-{m + 1:x4}c0ffee",
                ClientId: $"{GroupId}-{m + 1}",
                Host: $"/10.0.{m + 1}.{17 + m}",
                Assignment: AssignmentOf(m, partitions))).ToList();
            return new GroupSpec(GroupId, State, members);
        }

        public ConsumerGroupSpec ToConsumerSpec(int partitions)
        {
            var members = Enumerable.Range(0, Members).Select(m =>
            {
                var assignment = AssignmentOf(m, partitions);
                var target = !Reconciling ? null
                    : m == 0 ? [.. assignment, new TopicPartitionRef(Topic, partitions - 1)]
                    : assignment.Where(p => p.Partition != partitions - 1).ToList();
                // KIP-848 member ids are 22-character base64 UUIDs.
                return new ConsumerMemberSpec((GroupId.Replace("-", "", StringComparison.Ordinal) + new string('A', 20))[..20] + $"{m + 1:D2}", $"{GroupId}-{m + 1}", $"/10.1.{m + 1}.{17 + m}",
                    [Topic], assignment, target);
            }).ToList();
            return new ConsumerGroupSpec(GroupId, Reconciling ? ConsumerProtocolGroupState.Reconciling : ConsumerProtocolGroupState.Stable, members);
        }

        /// <summary>Partitions dealt round-robin to the members, as the range/roundrobin assignors would.</summary>
        private List<TopicPartitionRef> AssignmentOf(int member, int partitions) =>
            [.. Enumerable.Range(0, AssignedPartitions ?? partitions)
                .Where(p => p % Members == member)
                .Select(p => new TopicPartitionRef(Topic, p))];
    }
}
