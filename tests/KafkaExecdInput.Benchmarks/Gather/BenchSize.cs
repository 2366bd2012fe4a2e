using KafkaTestCluster;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// One cluster shape of issue 4. Every group commits on 10–50 partitions (consecutive partitions over one to six
/// topics); <see cref="StableShare"/> of the groups are Stable with one to three members that share those
/// partitions, the rest are Empty (offsets only), as monitoring sees a real cluster.
/// </summary>
internal sealed record BenchSize(string Name, int Topics, int PartitionsPerTopic, int Groups)
{
    public const int Brokers = 3;

    public const double StableShare = 0.3;

    private const int Seed = 4;

    public static readonly BenchSize S = new("S", 100, 10, 100);
    public static readonly BenchSize M = new("M", 1_000, 10, 1_000);
    public static readonly BenchSize L = new("L", 5_000, 10, 5_000);

    public static IReadOnlyList<BenchSize> All { get; } = [S, M, L];

    public int Partitions => Topics * PartitionsPerTopic;

    public static BenchSize Parse(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown size '{name}' (S, M or L)");

    public static string TopicName(int t) => $"bench-topic-{t:D5}";

    public static string GroupName(int g) => $"bench-group-{g:D5}";

    /// <summary>Fills <paramref name="cluster"/>; returns the number of committed offsets.</summary>
    /// <param name="committed">When given, every committed group-partition is added to it (for <see cref="CatchUp"/>).</param>
    public int Populate(TestCluster cluster, List<(string Group, TopicPartitionRef Partition)>? committed = null)
    {
        var random = new Random(Seed);
        for (var t = 0; t < Topics; t++)
        {
            var topic = TopicName(t);
            cluster.CreateTopic(topic, PartitionsPerTopic, replicationFactor: Brokers);
            for (var p = 0; p < PartitionsPerTopic; p++)
            {
                long low = random.Next(0, 1_000);
                cluster.SetWatermarks(topic, p, low, low + 10_000 + random.Next(0, 1_000_000));
            }
        }

        var commits = 0;
        for (var g = 0; g < Groups; g++)
        {
            var group = GroupName(g);
            var count = random.Next(10, 51);
            var first = random.Next(0, Partitions - count);
            var partitions = Enumerable.Range(first, count)
                .Select(i => new TopicPartitionRef(TopicName(i / PartitionsPerTopic), i % PartitionsPerTopic))
                .ToList();

            if (random.NextDouble() < StableShare)
            {
                var memberCount = random.Next(1, 4);
                var members = Enumerable.Range(0, memberCount)
                    .Select(m => new MemberSpec(
                        $"{group}-member-{m}", $"{group}-client", $"/10.0.{g % 250}.{m + 1}",
                        [.. partitions.Where((_, i) => i % memberCount == m)]))
                    .ToList();
                cluster.SetGroup(new GroupSpec(group, GroupState.Stable, members));
            }
            else
            {
                cluster.SetGroup(new GroupSpec(group, GroupState.Empty, []));
            }

            foreach (var partition in partitions)
            {
                var (_, high) = cluster.GetWatermarks(partition.Topic, partition.Partition);
                cluster.CommitOffset(group, partition.Topic, partition.Partition, high - random.Next(0, 5_000));
                committed?.Add((group, partition));
                commits++;
            }
        }

        return commits;
    }

    /// <summary>Every partition's latest offset moves on by 0–200 records (the lag-seconds benchmark's producer).</summary>
    public void Advance(TestCluster cluster)
    {
        var random = new Random(Seed + 1);
        for (var t = 0; t < Topics; t++)
        {
            for (var p = 0; p < PartitionsPerTopic; p++)
            {
                cluster.AdvanceHighWatermark(TopicName(t), p, random.Next(0, 201));
            }
        }
    }

    /// <summary>
    /// Commits every group-partition at its latest offset except a <paramref name="laggingShare"/> of them (chosen
    /// with a fixed seed), which stay behind; returns how many lag.
    /// </summary>
    public static int CatchUp(TestCluster cluster, IEnumerable<(string Group, TopicPartitionRef Partition)> committed, double laggingShare)
    {
        var random = new Random(Seed + 2);
        var lagging = 0;
        foreach (var (group, partition) in committed)
        {
            var (_, high) = cluster.GetWatermarks(partition.Topic, partition.Partition);
            if (random.NextDouble() < laggingShare)
            {
                cluster.CommitOffset(group, partition.Topic, partition.Partition, high - random.Next(1, 5_000));
                lagging++;
            }
            else
            {
                cluster.CommitOffset(group, partition.Topic, partition.Partition, high);
            }
        }
        return lagging;
    }
}
