using System.Runtime.InteropServices;
using KafkaExecdInput.Sharding;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics;

/// <summary>
/// One gather as the metric families read it: the snapshot's lists in output order with the names
/// an Influx tag cannot carry left out, plus the timestamp and summary every family shares.
/// </summary>
/// <remarks>
/// <para>Order: brokers by id; topics, groups and commit topics by name (ordinal); partitions by
/// number. A topic without partitions is one Metadata could not describe and is left out ("0
/// partitions" would be a lie). A group that lists one partition twice keeps the first.</para>
/// <para>Each list is sorted the first time a family asks for it in a gather, into buffers kept
/// across gathers, so a steady-state gather allocates next to nothing and a family that is off
/// costs nothing. Spans returned stay valid until the next <see cref="Begin"/> (the partitions of
/// <see cref="PartitionsOf"/> until its next call). Not thread-safe: one view per builder.</para>
/// <para>With a shard (README, Sharding) a family of cluster-wide lines writes only when
/// <see cref="OwnsClusterLines"/>, a topic-level family only for <see cref="OwnsTopic"/> and a partition-level
/// one only for <see cref="OwnsPartition"/>; groups arrive already limited to the shard's.</para>
/// </remarks>
internal sealed class GatherView(NameGate names, Shard? shard = null)
{
    private readonly Shard _shard = shard ?? Shard.Whole;
    private ShardScope? _scope;

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

    private readonly List<BrokerInfo> _brokers = [];
    private readonly List<TopicInfo> _topics = [];
    private readonly List<PartitionInfo> _partitions = [];
    private readonly List<ConsumerGroupInfo> _groups = [];
    private readonly List<CommittedOffset> _commits = [];
    private readonly List<(int Start, int Count)> _commitsByGroup = [];
    private readonly HashSet<(string Topic, int Partition)> _partitionSet = [];
    private bool _brokersReady;
    private bool _topicsReady;
    private bool _groupsReady;
    private bool _commitsReady;

    private static readonly ClusterSnapshot NoGather = new();

    public ClusterSnapshot Snapshot { get; private set; } = NoGather;

    public GatherSummary Summary { get; private set; }

    /// <summary>The one timestamp of every line of the gather.</summary>
    public long TimestampNs { get; private set; }

    /// <summary>The writer's line count before the first family wrote.</summary>
    public int LinesBefore { get; private set; }

    public NameGate Names => names;

    /// <summary>Brokers by id (all of them: whether an address can be a tag is the broker family's check).</summary>
    public ReadOnlySpan<BrokerInfo> Brokers
    {
        get
        {
            if (!_brokersReady)
            {
                _brokersReady = true;
                _brokers.Clear();
                if (Snapshot.Metadata is { } metadata)
                {
                    AddAll(_brokers, metadata.Brokers);
                    SortIfUnsorted(CollectionsMarshal.AsSpan(_brokers), BrokerOrder);
                }
            }

            return CollectionsMarshal.AsSpan(_brokers);
        }
    }

    /// <summary>Described topics whose names can be tags, by name.</summary>
    public ReadOnlySpan<TopicInfo> Topics
    {
        get
        {
            if (!_topicsReady)
            {
                _topicsReady = true;
                _topics.Clear();
                if (Snapshot.Metadata is { } metadata)
                {
                    for (int i = 0; i < metadata.Topics.Count; i++)
                    {
                        TopicInfo topic = metadata.Topics[i];
                        if (topic.Partitions.Count > 0 && names.AllowsTopic(topic.Name))
                        {
                            _topics.Add(topic);
                        }
                    }

                    SortIfUnsorted(CollectionsMarshal.AsSpan(_topics), TopicOrder);
                }
            }

            return CollectionsMarshal.AsSpan(_topics);
        }
    }

    /// <summary>Groups whose ids can be tags, by id.</summary>
    public ReadOnlySpan<ConsumerGroupInfo> Groups
    {
        get
        {
            if (!_groupsReady)
            {
                _groupsReady = true;
                _groups.Clear();
                if (Snapshot.Groups is { } groups)
                {
                    for (int i = 0; i < groups.Count; i++)
                    {
                        if (names.AllowsGroup(groups[i].GroupId))
                        {
                            _groups.Add(groups[i]);
                        }
                    }

                    SortIfUnsorted(CollectionsMarshal.AsSpan(_groups), GroupOrder);
                }
            }

            return CollectionsMarshal.AsSpan(_groups);
        }
    }

    /// <summary>Starts a gather: forgets the previous one's lists (keeping their buffers).</summary>
    public void Begin(ClusterSnapshot snapshot, GatherSummary summary, long timestampNs, int linesBefore)
    {
        Snapshot = snapshot;
        Summary = summary;
        TimestampNs = timestampNs;
        LinesBefore = linesBefore;
        _brokersReady = _topicsReady = _groupsReady = _commitsReady = false;
        _scope = snapshot.Metadata is { } metadata && !_shard.IsWhole ? _shard.For(metadata) : null;
    }

    /// <summary>
    /// Lets go of the gather: the buffers keep their capacity but no reference into the snapshot, so
    /// between gathers (most of a Telegraf interval) the snapshot at L, hundreds of MB, is garbage
    /// rather than held until the next <see cref="Begin"/>.
    /// </summary>
    public void End()
    {
        Snapshot = NoGather;
        _scope = null;
        _brokers.Clear();
        _topics.Clear();
        _partitions.Clear();
        _groups.Clear();
        _commits.Clear();
        _commitsByGroup.Clear();
        _partitionSet.Clear();
        _brokersReady = _topicsReady = _groupsReady = _commitsReady = false;
    }

    /// <summary>This agent writes the cluster-wide lines (always, unless it is a shard that another agent covers).</summary>
    public bool OwnsClusterLines => _scope?.OwnsClusterLines ?? _shard.IsWhole;

    /// <summary>This agent writes the topic's topic-level lines.</summary>
    public bool OwnsTopic(TopicInfo topic) => _scope?.OwnsTopic(topic.Name) ?? _shard.IsWhole;

    /// <summary>This agent writes the partition's line.</summary>
    public bool OwnsPartition(TopicInfo topic, PartitionInfo partition) => _scope?.OwnsPartition(topic.Name, partition.Leader) ?? _shard.IsWhole;

    /// <summary>The topic's partitions by number; valid until the next call.</summary>
    public ReadOnlySpan<PartitionInfo> PartitionsOf(TopicInfo topic)
    {
        _partitions.Clear();
        AddAll(_partitions, topic.Partitions);
        SortIfUnsorted(CollectionsMarshal.AsSpan(_partitions), PartitionOrder);
        return CollectionsMarshal.AsSpan(_partitions);
    }

    /// <summary>
    /// The committed offsets of <see cref="Groups"/>[<paramref name="groupIndex"/>], one run per topic
    /// whose name can be a tag, each run by partition.
    /// </summary>
    public TopicRuns CommitsByTopic(int groupIndex)
    {
        if (!_commitsReady)
        {
            _commitsReady = true;
            SortCommitsByGroup();
        }

        (int start, int count) = _commitsByGroup[groupIndex];
        return new TopicRuns(CollectionsMarshal.AsSpan(_commits).Slice(start, count), names);
    }

    /// <summary>An empty set of partitions for one family's use, kept across gathers; valid until the next call.</summary>
    public HashSet<(string Topic, int Partition)> PartitionSet()
    {
        _partitionSet.Clear();
        return _partitionSet;
    }

    /// <summary>What the group's description said beyond state and member count, or null when it was not described.</summary>
    public GroupDetail? DetailOf(ConsumerGroupInfo group) =>
        group.MemberCount is not null ? Snapshot.GroupDetails?.GetValueOrDefault(group.GroupId) : null;

    public Watermarks Offsets(string topic, int partition) => Snapshot.Watermarks?.Get(topic, partition) ?? default;

    /// <summary>
    /// max(0, latest − committed), or null when the latest offset is unknown. Committed offsets are
    /// read before latest ones, so a negative difference only means the partition moved in between.
    /// </summary>
    public long? Lag(in CommittedOffset commit) =>
        Offsets(commit.Topic, commit.Partition).Latest is { } latest ? Math.Max(0, latest - commit.Offset) : null;

    /// <summary>Copies every group's commits into one buffer, each group's slice sorted and without repeats.</summary>
    private void SortCommitsByGroup()
    {
        ReadOnlySpan<ConsumerGroupInfo> groups = Groups;
        _commits.Clear();
        _commitsByGroup.Clear();
        foreach (ConsumerGroupInfo group in groups)
        {
            int start = _commits.Count;
            if (group.CommittedOffsets is { } offsets)
            {
                AddAll(_commits, offsets);
            }

            Span<CommittedOffset> slice = CollectionsMarshal.AsSpan(_commits)[start..];
            SortIfUnsorted(slice, CommitOrder);
            int kept = WithoutRepeats(slice);
            _commits.RemoveRange(start + kept, slice.Length - kept);
            _commitsByGroup.Add((start, kept));
        }
    }

    /// <summary>A group listing the same partition twice would write one series twice; keeps the first.</summary>
    private static int WithoutRepeats(Span<CommittedOffset> sorted)
    {
        int kept = Math.Min(sorted.Length, 1);
        for (int i = 1; i < sorted.Length; i++)
        {
            if (CommitOrder(sorted[kept - 1], sorted[i]) != 0)
            {
                sorted[kept++] = sorted[i];
            }
        }

        return kept;
    }

    private static void AddAll<T>(List<T> target, IReadOnlyList<T> source)
    {
        // By index: no enumerator allocation whatever list type the snapshot holds.
        for (int i = 0; i < source.Count; i++)
        {
            target.Add(source[i]);
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

    /// <summary>A group's commits split into one run per topic, skipping topics whose names cannot be tags.</summary>
    public readonly ref struct TopicRuns(ReadOnlySpan<CommittedOffset> commits, NameGate names)
    {
        private readonly ReadOnlySpan<CommittedOffset> _commits = commits;

        public Enumerator GetEnumerator() => new(_commits, names);

        public ref struct Enumerator(ReadOnlySpan<CommittedOffset> commits, NameGate names)
        {
            private readonly ReadOnlySpan<CommittedOffset> _commits = commits;
            private int _start;
            private int _end;

            public readonly ReadOnlySpan<CommittedOffset> Current => _commits[_start.._end];

            public bool MoveNext()
            {
                while (_end < _commits.Length)
                {
                    _start = _end;
                    _end = _start + 1;
                    while (_end < _commits.Length && string.Equals(_commits[_end].Topic, _commits[_start].Topic, StringComparison.Ordinal))
                    {
                        _end++;
                    }

                    if (names.AllowsTopic(_commits[_start].Topic))
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
