using System.Buffers;
using CsCheck;
using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.History;

public class GatherHistoryTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(2);

    [Fact]
    public void Known_groups_are_those_of_the_last_snapshot_that_listed_groups()
    {
        var history = new GatherHistory(new ManualTime());

        history.Observe(Snapshot(groups: ["a", "b"]));
        Assert.Equal(["a", "b"], history.KnownGroups);

        history.Observe(new ClusterSnapshot { Groups = null }); // the listing failed: keep what was known
        Assert.Equal(["a", "b"], history.KnownGroups);

        history.Observe(Snapshot(groups: ["b", "c"]));
        Assert.Equal(["b", "c"], history.KnownGroups);
    }

    [Fact]
    public void Entries_of_a_group_or_partition_that_disappeared_are_dropped_after_the_retention_and_not_before()
    {
        var time = new ManualTime();
        var history = new GatherHistory(time, Retention);
        history.Groups.GetOrAdd("stays", history.Now);
        history.Groups.GetOrAdd("goes", history.Now);
        history.Partitions.GetOrAdd(new TopicPartitionKey("t", 0), history.Now);
        history.Partitions.GetOrAdd(new TopicPartitionKey("t", 1), history.Now);
        history.GroupPartitions.GetOrAdd(new GroupPartitionKey("stays", "t", 0), history.Now);
        history.GroupPartitions.GetOrAdd(new GroupPartitionKey("goes", "t", 1), history.Now);
        var present = Snapshot(groups: ["stays"], partitions: 1, commits: [("stays", "t", 0)]);

        time.Advance(Retention);
        history.Observe(present);
        Assert.Equal(2, history.Groups.Count); // exactly the retention: still kept

        time.Advance(TimeSpan.FromTicks(1));
        history.Observe(present);

        Assert.Equal(["stays"], history.Groups.Entries.Select(e => e.Key));
        Assert.Equal([new TopicPartitionKey("t", 0)], history.Partitions.Entries.Select(e => e.Key));
        Assert.Equal([new GroupPartitionKey("stays", "t", 0)], history.GroupPartitions.Entries.Select(e => e.Key));
    }

    [Fact]
    public void A_part_that_could_not_be_read_neither_refreshes_nor_drops_its_entries_before_the_retention()
    {
        var time = new ManualTime();
        var history = new GatherHistory(time, Retention);
        history.Partitions.GetOrAdd(new TopicPartitionKey("t", 0), history.Now);

        time.Advance(Retention / 2);
        history.Observe(new ClusterSnapshot { Metadata = null });
        Assert.Equal(1, history.Partitions.Count);

        time.Advance(Retention);
        history.Observe(new ClusterSnapshot { Metadata = null });
        Assert.Equal(0, history.Partitions.Count);
    }

    [Fact]
    public void Expiry_holds_for_any_sequence_of_gathers()
    {
        // Each step: advance the clock by 0..Retention, then gather seeing a subset of groups g0..g4.
        Gen.Select(Gen.Long[0, Retention.Ticks], Gen.Bool.Array[5]).Array[1, 20].Sample(steps =>
        {
            var time = new ManualTime();
            var history = new GatherHistory(time, Retention);
            var lastSeen = new Dictionary<string, DateTimeOffset>();
            foreach (var (advance, seen) in steps)
            {
                time.Advance(TimeSpan.FromTicks(advance));
                var ids = Enumerable.Range(0, 5).Where(i => seen[i]).Select(i => $"g{i}").ToArray();
                foreach (var id in ids)
                {
                    history.Groups.GetOrAdd(id, history.Now);
                }
                history.Observe(Snapshot(groups: ids));
                foreach (var id in ids)
                {
                    lastSeen[id] = time.GetUtcNow();
                }

                var expected = lastSeen.Where(p => time.GetUtcNow() - p.Value <= Retention).Select(p => p.Key).Order();
                Assert.Equal(expected, history.Groups.Entries.Select(e => e.Key).Order());
                Assert.All(history.Groups.Entries, e => Assert.Equal(lastSeen[e.Key], e.LastSeen));
            }
        });
    }

    [Fact]
    public void A_history_round_trips_through_its_versioned_binary_form()
    {
        var time = new ManualTime();
        var history = new GatherHistory(time, Retention);
        history.Observe(Snapshot(groups: ["a", "b,\"c\""]));
        history.Groups.GetOrAdd("a", history.Now);
        var partition = history.Partitions.GetOrAdd(new TopicPartitionKey("t", 3), history.Now);
        partition.LatestOffsets.Add(100, history.Now);
        time.Advance(TimeSpan.FromSeconds(30));
        partition.LatestOffsets.Add(160, history.Now);
        history.GroupPartitions.GetOrAdd(new GroupPartitionKey("a", "t", 3), history.Now).Commits.Add(90, history.Now, lag: 70);

        var restored = GatherHistory.ReadFrom(Serialize(history), time, Retention);

        Assert.Equal(history.KnownGroups, restored.KnownGroups);
        Assert.Equal(history.Groups.Entries.Select(e => (e.Key, e.FirstSeen, e.LastSeen)), restored.Groups.Entries.Select(e => (e.Key, e.FirstSeen, e.LastSeen)));
        Assert.True(restored.Partitions.TryGet(new TopicPartitionKey("t", 3), out var restoredPartition));
        Assert.Equal(partition.LatestOffsets.Points, restoredPartition.LatestOffsets.Points);
        Assert.Equal(PartitionHistory.LatestOffsetPoints, restoredPartition.LatestOffsets.Capacity);
        Assert.True(restored.GroupPartitions.TryGet(new GroupPartitionKey("a", "t", 3), out var commits));
        Assert.Equal(1, commits.Commits.Count);
        Assert.Equal(new CommitObservation(90, time.GetUtcNow(), 70), commits.Commits[0]);
        Assert.Equal(Serialize(history), Serialize(restored));
    }

    [Fact]
    public void Any_history_round_trips()
    {
        var key = Gen.Select(Gen.OneOf("a", "b", "t,\"x\"", "é"), Gen.Int[0, 3]);
        Gen.Select(key.Array[0, 6], Gen.Long[0, 1000].Array[0, 15]).Sample((keys, offsets) =>
        {
            var time = new ManualTime();
            var history = new GatherHistory(time, Retention);
            foreach (var (topic, partition) in keys)
            {
                var state = history.Partitions.GetOrAdd(new TopicPartitionKey(topic, partition), history.Now);
                foreach (var offset in offsets)
                {
                    time.Advance(TimeSpan.FromMilliseconds(offset));
                    state.LatestOffsets.Add(offset, history.Now);
                }
            }

            var bytes = Serialize(history);
            Assert.Equal(bytes, Serialize(GatherHistory.ReadFrom(bytes, time, Retention)));
        });
    }

    [Fact]
    public void Loading_drops_entries_that_expired_while_the_plugin_was_stopped()
    {
        var time = new ManualTime();
        var history = new GatherHistory(time, Retention);
        history.Groups.GetOrAdd("old", history.Now);
        var bytes = Serialize(history);

        time.Advance(Retention + TimeSpan.FromSeconds(1));

        Assert.Equal(0, GatherHistory.ReadFrom(bytes, time, Retention).Groups.Count);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0 })] // version 1 (JSON) with empty tables
    [InlineData(new byte[] { 3, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0 })] // a byte after the end
    [InlineData(new byte[] { 2, 0, 0, 1, 0, 0, 0, 0 })] // a known group referring into an empty string table
    [InlineData(new byte[] { 2, 1, 1, 0x61, 1, 5, 0, 1, 0, 1, 0, 0, 0 })] // a group whose sighting is not in the time table
    [InlineData(new byte[] { 2, 1, 1, 0x61, 1, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 })] // a partition whose ring has no valid capacity
    [InlineData(new byte[] { 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })] // a count past 64 bits
    [InlineData(new byte[] { 2, 0x7F })] // 127 strings in a payload of two bytes: refused before anything is allocated
    public void A_payload_of_another_version_or_a_broken_one_is_refused_as_invalid_data(byte[] payload)
    {
        Assert.Throws<InvalidDataException>(() => GatherHistory.ReadFrom(payload, new ManualTime()));
    }

    [Fact]
    public void Every_cut_or_changed_byte_of_a_payload_is_refused_or_read_whole_and_never_crashes()
    {
        var time = new ManualTime();
        var history = new GatherHistory(time, Retention);
        history.Observe(Snapshot(groups: ["a", "b"], partitions: 2, commits: [("a", "t", 0), ("b", "t", 1)]));
        var ring = history.Partitions.GetOrAdd(new TopicPartitionKey("t", 0), history.Now).LatestOffsets;
        var commits = history.GroupPartitions.GetOrAdd(new GroupPartitionKey("a", "t", 0), history.Now).Commits;
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            ring.Add(1000 + (i * 300), history.Now);
            commits.Add(900 + (i * 200), history.Now, lag: 100 + (i * 100));
        }
        var payload = Serialize(history);

        for (var length = 0; length < payload.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => GatherHistory.ReadFrom(payload.AsSpan(0, length), time, Retention));
        }
        for (var position = 0; position < payload.Length; position++)
        {
            for (var value = 0; value < 256; value++)
            {
                var changed = (byte[])payload.Clone();
                changed[position] = (byte)value;
                try
                {
                    _ = GatherHistory.ReadFrom(changed, time, Retention);
                }
                catch (InvalidDataException)
                {
                }
            }
        }
    }

    [Fact]
    public void A_full_ring_keeps_its_newest_points()
    {
        var ring = new OffsetRing(3);
        var at = DateTimeOffset.UnixEpoch;
        for (var i = 1; i <= 5; i++)
        {
            ring.Add(i, at.AddSeconds(i));
        }

        Assert.True(ring.IsFull);
        Assert.Equal([3L, 4L, 5L], ring.Points.Select(p => p.Offset));
    }

    private static byte[] Serialize(GatherHistory history)
    {
        var output = new ArrayBufferWriter<byte>();
        history.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private static ClusterSnapshot Snapshot(string[] groups, int partitions = 0, (string Group, string Topic, int Partition)[]? commits = null) => new()
    {
        Metadata = new ClusterMetadata([], [new TopicInfo("t", [.. Enumerable.Range(0, partitions).Select(p => new PartitionInfo(p, 1, [1], [1]))])]),
        Groups = [.. groups.Select(g => new ConsumerGroupInfo(g, "Stable", 1,
            [.. (commits ?? []).Where(c => c.Group == g).Select(c => new CommittedOffset(c.Topic, c.Partition, 1))]))],
    };

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
