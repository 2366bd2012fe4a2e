using KafkaExecdInput.Benchmarks.Gather;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Benchmarks.Micro;

/// <summary>A <see cref="ClusterSnapshot"/> of the same shape as the gather benchmark's cluster at a size, built in memory.</summary>
internal static class SnapshotFactory
{
    public static ClusterSnapshot Create(BenchSize size)
    {
        var random = new Random(4);
        var brokers = Enumerable.Range(1, BenchSize.Brokers).Select(id => new BrokerInfo(id, "127.0.0.1", 40_000 + id)).ToList();
        var watermarks = new WatermarkTable();
        var topics = new List<TopicInfo>(size.Topics);
        for (var t = 0; t < size.Topics; t++)
        {
            var name = BenchSize.TopicName(t);
            var partitions = new List<PartitionInfo>(size.PartitionsPerTopic);
            for (var p = 0; p < size.PartitionsPerTopic; p++)
            {
                int[] replicas = [.. Enumerable.Range(0, BenchSize.Brokers).Select(r => 1 + ((t + p + r) % BenchSize.Brokers))];
                partitions.Add(new PartitionInfo(p, replicas[0], replicas, replicas));
                long low = random.Next(0, 1_000);
                watermarks.SetEarliest(name, p, low);
                watermarks.SetLatest(name, p, low + 10_000 + random.Next(0, 1_000_000));
            }

            topics.Add(new TopicInfo(name, partitions));
        }

        var groups = new List<ConsumerGroupInfo>(size.Groups);
        for (var g = 0; g < size.Groups; g++)
        {
            var count = random.Next(10, 51);
            var first = random.Next(0, size.Partitions - count);
            var stable = random.NextDouble() < BenchSize.StableShare;
            var commits = Enumerable.Range(first, count)
                .Select(i => new CommittedOffset(BenchSize.TopicName(i / size.PartitionsPerTopic), i % size.PartitionsPerTopic, random.Next(0, 500_000)))
                .ToList();
            groups.Add(new ConsumerGroupInfo(BenchSize.GroupName(g), stable ? "Stable" : "Empty", stable ? random.Next(1, 4) : 0, commits));
        }

        return new ClusterSnapshot
        {
            Metadata = new ClusterMetadata(brokers, topics),
            Groups = groups,
            Watermarks = watermarks,
        };
    }
}
