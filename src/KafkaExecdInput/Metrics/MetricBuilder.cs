using System.Globalization;
using System.Runtime.InteropServices;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaExecdInput.Metrics;

/// <summary>What the caller knows about a gather beyond its snapshot.</summary>
/// <param name="Duration">Wall time of the gather.</param>
/// <param name="WorkerRestarts">How often the worker process was restarted since the plugin started.</param>
internal readonly record struct GatherSummary(TimeSpan Duration, int WorkerRestarts);

/// <summary>
/// Maps one <see cref="ClusterSnapshot"/> to the v1 metric schema (design.md §4) plus one
/// <c>kafka_collector</c> self-metric line.
/// </summary>
/// <remarks>
/// <para>Output is deterministic: blocks in the order kafka, kafka_broker (by id), kafka_topic,
/// kafka_topic_partition, consumer-group members, consumer-group topic sums, consumer-group
/// partitions, kafka_collector; within a block by name (ordinal), then partition number. Every line
/// carries the one timestamp of the gather.</para>
/// <para>Lag is max(0, latest − committed): committed offsets are read before high watermarks, so
/// a negative difference only means the partition moved in between. A partition whose latest
/// offset is unknown gets no <c>lag</c>, and its topic no <c>lag_sum</c> (a partial sum would
/// understate the lag); a partition without a commit is not in the snapshot at all.</para>
/// <para>Topics and groups arrive already filtered (the worker filters before it asks Kafka). A
/// name that cannot be written as a tag is left out with all its lines.</para>
/// <para>The builder keeps its sort buffers between gathers, so a steady-state gather allocates
/// next to nothing. It is not thread-safe: one builder per output stream.</para>
/// </remarks>
internal sealed class MetricBuilder(ILogger logger)
{
    // Cached delegates: sorting with an IComparer allocates a delegate on every call (see SortIfUnsorted).
    private static readonly Comparison<BrokerInfo> BrokerOrder = static (x, y) => x.Id.CompareTo(y.Id);

    private static readonly Comparison<TopicInfo> TopicOrder = static (x, y) => string.CompareOrdinal(x.Name, y.Name);

    private static readonly Comparison<PartitionInfo> PartitionOrder = static (x, y) => x.Id.CompareTo(y.Id);

    private static readonly Comparison<ConsumerGroupInfo> GroupOrder = static (x, y) => string.CompareOrdinal(x.GroupId, y.GroupId);

    private static readonly Comparison<CommittedOffset> CommitOrder = static (x, y) =>
    {
        int byTopic = string.CompareOrdinal(x.Topic, y.Topic);
        return byTopic != 0 ? byTopic : x.Partition.CompareTo(y.Partition);
    };

    private readonly NameGate _names = new(logger);
    private readonly List<BrokerInfo> _brokers = [];
    private readonly List<TopicInfo> _topics = [];
    private readonly List<PartitionInfo> _partitions = [];
    private readonly List<ConsumerGroupInfo> _groups = [];
    private readonly List<CommittedOffset> _commits = [];
    private readonly List<(int Start, int Count)> _commitsByGroup = [];

    /// <summary>A builder that logs nowhere, for tools and benchmarks.</summary>
    public MetricBuilder()
        : this(NullLogger.Instance)
    {
    }

    /// <summary>
    /// Writes all lines for <paramref name="snapshot"/>, the self-metric last, and returns how many
    /// lines were written (including the self-metric).
    /// </summary>
    public int Write(ClusterSnapshot snapshot, GatherSummary summary, long timestampNs, LineProtocolWriter writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);

        int linesBefore = writer.LinesWritten;
        if (snapshot.Metadata is { } metadata)
        {
            WriteCluster(metadata, timestampNs, writer);
            WriteTopics(metadata, snapshot.Watermarks, timestampNs, writer);
        }

        if (snapshot.Groups is { } groups)
        {
            WriteGroups(groups, snapshot.Watermarks, timestampNs, writer);
        }

        WriteCollector(snapshot, summary, writer.LinesWritten - linesBefore, timestampNs, writer);
        return writer.LinesWritten - linesBefore;
    }

    private void WriteCluster(ClusterMetadata metadata, long timestampNs, LineProtocolWriter writer)
    {
        writer.BeginLine(EncodedMetricNames.Cluster);
        writer.Field(EncodedMetricNames.Fields.Brokers, metadata.Brokers.Count);
        writer.EndLine(timestampNs);

        Fill(_brokers, metadata.Brokers);
        SortIfUnsorted(CollectionsMarshal.AsSpan(_brokers), BrokerOrder);
        foreach (BrokerInfo broker in _brokers)
        {
            string address = FormatAddress(broker);
            if (!_names.AllowsBrokerAddress(address))
            {
                continue;
            }

            writer.BeginLine(EncodedMetricNames.Broker);
            writer.Tag(EncodedMetricNames.Tags.Address, address);
            writer.Tag(EncodedMetricNames.Tags.Id, broker.Id);
            writer.Field(EncodedMetricNames.Fields.Info, 1L);
            writer.EndLine(timestampNs);
        }
    }

    private void WriteTopics(ClusterMetadata metadata, WatermarkTable? watermarks, long timestampNs, LineProtocolWriter writer)
    {
        _topics.Clear();
        foreach (TopicInfo topic in Items(metadata.Topics))
        {
            // A topic without partitions is one Metadata could not describe; "0 partitions" would be a lie.
            if (topic.Partitions.Count > 0 && _names.AllowsTopic(topic.Name))
            {
                _topics.Add(topic);
            }
        }

        SortIfUnsorted(CollectionsMarshal.AsSpan(_topics), TopicOrder);
        foreach (TopicInfo topic in _topics)
        {
            writer.BeginLine(EncodedMetricNames.Topic);
            writer.Tag(EncodedMetricNames.Tags.Topic, topic.Name);
            writer.Field(EncodedMetricNames.Fields.Partitions, topic.Partitions.Count);
            writer.EndLine(timestampNs);
        }

        foreach (TopicInfo topic in _topics)
        {
            Fill(_partitions, topic.Partitions);
            SortIfUnsorted(CollectionsMarshal.AsSpan(_partitions), PartitionOrder);
            foreach (PartitionInfo partition in _partitions)
            {
                WritePartition(topic.Name, partition, Lookup(watermarks, topic.Name, partition.Id), timestampNs, writer);
            }
        }
    }

    private static void WritePartition(string topic, PartitionInfo partition, Watermarks offsets, long timestampNs, LineProtocolWriter writer)
    {
        int replicas = partition.Replicas.Count;
        int inSync = partition.InSyncReplicas.Count;
        bool leaderIsPreferred = partition.Leader >= 0 && replicas > 0 && partition.Replicas[0] == partition.Leader;

        writer.BeginLine(EncodedMetricNames.TopicPartition);
        writer.Tag(EncodedMetricNames.Tags.Partition, partition.Id);
        writer.Tag(EncodedMetricNames.Tags.Topic, topic);
        if (offsets.Latest is { } latest)
        {
            writer.Field(EncodedMetricNames.Fields.CurrentOffset, latest);
        }

        if (offsets.Earliest is { } earliest)
        {
            writer.Field(EncodedMetricNames.Fields.OldestOffset, earliest);
        }

        writer.Field(EncodedMetricNames.Fields.Leader, partition.Leader);
        writer.Field(EncodedMetricNames.Fields.Replicas, replicas);
        writer.Field(EncodedMetricNames.Fields.InSyncReplica, inSync);
        writer.Field(EncodedMetricNames.Fields.LeaderIsPreferred, leaderIsPreferred ? 1L : 0L);
        writer.Field(EncodedMetricNames.Fields.UnderReplicatedPartition, inSync < replicas ? 1L : 0L);
        writer.EndLine(timestampNs);
    }

    private void WriteGroups(IReadOnlyList<ConsumerGroupInfo> groups, WatermarkTable? watermarks, long timestampNs, LineProtocolWriter writer)
    {
        _groups.Clear();
        foreach (ConsumerGroupInfo group in Items(groups))
        {
            if (_names.AllowsGroup(group.GroupId))
            {
                _groups.Add(group);
            }
        }

        SortIfUnsorted(CollectionsMarshal.AsSpan(_groups), GroupOrder);
        SortCommitsByGroup();

        foreach (ConsumerGroupInfo group in _groups)
        {
            if (group.MemberCount is { } members)
            {
                writer.BeginLine(EncodedMetricNames.ConsumerGroup);
                writer.Tag(EncodedMetricNames.Tags.ConsumerGroup, group.GroupId);
                writer.Field(EncodedMetricNames.Fields.Members, members);
                writer.EndLine(timestampNs);
            }
        }

        for (int g = 0; g < _groups.Count; g++)
        {
            ReadOnlySpan<CommittedOffset> commits = CommitsOf(g);
            for (int start = 0, end; start < commits.Length; start = end)
            {
                end = TopicRunEnd(commits, start);
                if (_names.AllowsTopic(commits[start].Topic))
                {
                    WriteGroupTopic(_groups[g].GroupId, commits[start..end], watermarks, timestampNs, writer);
                }
            }
        }

        for (int g = 0; g < _groups.Count; g++)
        {
            ReadOnlySpan<CommittedOffset> commits = CommitsOf(g);
            for (int start = 0, end; start < commits.Length; start = end)
            {
                end = TopicRunEnd(commits, start);
                if (_names.AllowsTopic(commits[start].Topic))
                {
                    WriteGroupPartitions(_groups[g].GroupId, commits[start..end], watermarks, timestampNs, writer);
                }
            }
        }
    }

    /// <summary>Copies every group's commits into one buffer, each group's slice sorted by topic and partition.</summary>
    private void SortCommitsByGroup()
    {
        _commits.Clear();
        _commitsByGroup.Clear();
        foreach (ConsumerGroupInfo group in _groups)
        {
            int start = _commits.Count;
            if (group.CommittedOffsets is { } offsets)
            {
                for (int i = 0; i < offsets.Count; i++)
                {
                    _commits.Add(offsets[i]);
                }
            }

            _commitsByGroup.Add((start, _commits.Count - start));
        }

        for (int g = 0; g < _commitsByGroup.Count; g++)
        {
            (int start, int count) = _commitsByGroup[g];
            SortIfUnsorted(CollectionsMarshal.AsSpan(_commits).Slice(start, count), CommitOrder);
        }
    }

    private ReadOnlySpan<CommittedOffset> CommitsOf(int groupIndex)
    {
        (int start, int count) = _commitsByGroup[groupIndex];
        return CollectionsMarshal.AsSpan(_commits).Slice(start, count);
    }

    private static void WriteGroupTopic(
        string groupId, ReadOnlySpan<CommittedOffset> commits, WatermarkTable? watermarks, long timestampNs, LineProtocolWriter writer)
    {
        long offsetSum = 0;
        long lagSum = 0;
        bool lagKnown = true;
        for (int i = 0; i < commits.Length; i++)
        {
            if (IsRepeat(commits, i))
            {
                continue;
            }

            offsetSum += commits[i].Offset;
            if (Lag(commits[i], watermarks) is { } lag)
            {
                lagSum += lag;
            }
            else
            {
                lagKnown = false;
            }
        }

        writer.BeginLine(EncodedMetricNames.ConsumerGroup);
        writer.Tag(EncodedMetricNames.Tags.ConsumerGroup, groupId);
        writer.Tag(EncodedMetricNames.Tags.Topic, commits[0].Topic);
        writer.Field(EncodedMetricNames.Fields.CurrentOffsetSum, offsetSum);
        if (lagKnown)
        {
            writer.Field(EncodedMetricNames.Fields.LagSum, lagSum);
        }

        writer.EndLine(timestampNs);
    }

    private static void WriteGroupPartitions(
        string groupId, ReadOnlySpan<CommittedOffset> commits, WatermarkTable? watermarks, long timestampNs, LineProtocolWriter writer)
    {
        for (int i = 0; i < commits.Length; i++)
        {
            if (IsRepeat(commits, i))
            {
                continue;
            }

            writer.BeginLine(EncodedMetricNames.ConsumerGroup);
            writer.Tag(EncodedMetricNames.Tags.ConsumerGroup, groupId);
            writer.Tag(EncodedMetricNames.Tags.Partition, commits[i].Partition);
            writer.Tag(EncodedMetricNames.Tags.Topic, commits[i].Topic);
            writer.Field(EncodedMetricNames.Fields.CurrentOffset, commits[i].Offset);
            if (Lag(commits[i], watermarks) is { } lag)
            {
                writer.Field(EncodedMetricNames.Fields.Lag, lag);
            }

            writer.EndLine(timestampNs);
        }
    }

    private static void WriteCollector(ClusterSnapshot snapshot, GatherSummary summary, int metricLines, long timestampNs, LineProtocolWriter writer)
    {
        writer.BeginLine(EncodedMetricNames.Collector);
        writer.Field(EncodedMetricNames.Fields.GatherDurationSeconds, summary.Duration.TotalSeconds);
        writer.Field(EncodedMetricNames.Fields.Errors, snapshot.Errors.Count);
        writer.Field(EncodedMetricNames.Fields.Lines, metricLines);
        writer.Field(EncodedMetricNames.Fields.Partial, snapshot.IsPartial ? 1L : 0L);
        writer.Field(EncodedMetricNames.Fields.WorkerRestarts, summary.WorkerRestarts);
        writer.EndLine(timestampNs);
    }

    private static long? Lag(in CommittedOffset commit, WatermarkTable? watermarks) =>
        Lookup(watermarks, commit.Topic, commit.Partition).Latest is { } latest
            ? Math.Max(0, latest - commit.Offset)
            : null;

    private static Watermarks Lookup(WatermarkTable? watermarks, string topic, int partition) =>
        watermarks?.Get(topic, partition) ?? default;

    /// <summary>A group listing the same partition twice would write one series twice; keep the first.</summary>
    private static bool IsRepeat(ReadOnlySpan<CommittedOffset> commits, int i) =>
        i > 0 && commits[i].Partition == commits[i - 1].Partition;

    private static int TopicRunEnd(ReadOnlySpan<CommittedOffset> commits, int start)
    {
        int end = start + 1;
        while (end < commits.Length && string.Equals(commits[end].Topic, commits[start].Topic, StringComparison.Ordinal))
        {
            end++;
        }

        return end;
    }

    /// <summary>"host:port", with an IPv6 literal in brackets as Go's net.JoinHostPort (and kafka_exporter) writes it.</summary>
    private static string FormatAddress(BrokerInfo broker) =>
        broker.Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{broker.Host}]:{broker.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{broker.Host}:{broker.Port}");

    private static void Fill<T>(List<T> target, IReadOnlyList<T> source)
    {
        target.Clear();
        for (int i = 0; i < source.Count; i++)
        {
            target.Add(source[i]);
        }
    }

    /// <summary>Enumerates by index: no enumerator allocation whatever list type the snapshot holds.</summary>
    private static IndexedItems<T> Items<T>(IReadOnlyList<T> list) => new(list);

    private readonly struct IndexedItems<T>(IReadOnlyList<T> list)
    {
        public Enumerator GetEnumerator() => new(list);

        public struct Enumerator(IReadOnlyList<T> list)
        {
            private int _index = -1;

            public readonly T Current => list[_index];

            public bool MoveNext() => ++_index < list.Count;
        }
    }

    /// <summary>
    /// Sorts unless already sorted (metadata usually lists partitions in order). The comparisons are
    /// cached delegates: sorting with an IComparer would allocate a delegate on every call, and
    /// this runs once per topic and per group.
    /// </summary>
    private static void SortIfUnsorted<T>(Span<T> items, Comparison<T> comparison)
    {
        for (int i = 1; i < items.Length; i++)
        {
            if (comparison(items[i - 1], items[i]) > 0)
            {
                items.Sort(comparison);
                return;
            }
        }
    }
}
