using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Snapshot;

/// <summary>
/// Builds one <see cref="ClusterSnapshot"/> from the parts a worker sends, and knows what is still
/// missing, so that after a worker crash the gather can resume with a fresh worker instead of
/// starting over or giving up.
/// </summary>
internal sealed class SnapshotAssembler
{
    private readonly List<GatherError> _errors = [];
    private readonly Dictionary<string, IReadOnlyList<CommittedOffset>> _offsetsByGroup = new(StringComparer.Ordinal);
    private ClusterMetadata? _metadata;
    private IReadOnlyList<ConsumerGroupInfo>? _groups;
    private IReadOnlyList<GroupDetail>? _groupDetails;
    private WatermarkTable? _watermarks;
    private ClusterDescription? _cluster;

    public void Add(GatherPart part)
    {
        switch (part)
        {
            case MetadataPart metadata:
                _metadata = metadata.Metadata;
                break;
            case GroupsPart groups:
                _groups = groups.Groups;
                _groupDetails = groups.Details;
                break;
            case GroupOffsetsPart offsets:
                foreach (var group in offsets.Groups)
                {
                    _offsetsByGroup[group.GroupId] = group.Offsets;
                }
                break;
            case WatermarksPart watermarks when _watermarks is null:
                _watermarks = watermarks.Watermarks;
                break;
            case WatermarksPart watermarks:
                foreach (var ((topic, partition), offsets) in watermarks.Watermarks.Entries)
                {
                    if (offsets.Earliest is { } earliest)
                    {
                        _watermarks.SetEarliest(topic, partition, earliest);
                    }
                    if (offsets.Latest is { } latest)
                    {
                        _watermarks.SetLatest(topic, partition, latest);
                    }
                }
                break;
            case ClusterDescriptionPart cluster:
                _cluster = cluster.Cluster;
                break;
            case TopicConfigsPart configs:
                TopicConfigs = configs;
                break;
            case RecordTimestampsPart records:
                _recordTimestamps.AddRange(records.Records);
                break;
        }
    }

    /// <summary>The topic configs read in this gather (all parts of it), or null when none arrived.</summary>
    public TopicConfigsPart? TopicConfigs { get; private set; }

    public void AddError(GatherError error) => _errors.Add(error);

    public void AddError(string source, string message) => _errors.Add(new GatherError(source, message));

    /// <summary>Groups listed but whose committed offsets have not arrived.</summary>
    public IReadOnlyList<string> GroupsWithoutOffsets =>
        _groups?.Where(g => !_offsetsByGroup.ContainsKey(g.GroupId)).Select(g => g.GroupId).ToList() ?? [];

    /// <summary>What a worker was doing when it stopped, judged by what it had sent: for log lines.</summary>
    public string CurrentPhase =>
        _metadata is null && _groups is null ? "reading metadata and consumer groups"
        : _groups is null ? "listing consumer groups"
        : GroupsWithoutOffsets.Count > 0 ? "fetching committed offsets"
        : "reading partition offsets";

    /// <summary>
    /// The request for the next attempt: everything at first; after a crash only what is missing.
    /// On the last attempt committed offsets are given up, so that a group whose offset fetch keeps
    /// crashing librdkafka cannot also cost the partition offsets.
    /// </summary>
    /// <param name="needs">What the families that are on read (Metrics/SnapshotNeeds): a part no family needs is never asked for.</param>
    /// <param name="topicConfigKeys">Topic configs to read in this gather (a refresh is due), or null.</param>
    /// <param name="sharded">The worker reads a shard: a resume then carries the commits already held (GatherRequest.CommittedAlready).</param>
    public GatherRequest NextRequest(int gatherId, TimeSpan budget, bool lastAttempt, IReadOnlyList<string> knownGroups,
        Metrics.SnapshotNeeds needs = AllNeeds, IReadOnlyList<string>? topicConfigKeys = null, bool sharded = false)
    {
        bool Needs(Metrics.SnapshotNeeds part) => (needs & part) != 0;
        var wantGroups = Needs(Metrics.SnapshotNeeds.GroupDescriptions | Metrics.SnapshotNeeds.CommittedOffsets);
        var offsetGroups = Needs(Metrics.SnapshotNeeds.CommittedOffsets) ? OffsetGroupSelection.All : OffsetGroupSelection.Nothing;
        if (_groups is not null && Needs(Metrics.SnapshotNeeds.CommittedOffsets))
        {
            var missing = GroupsWithoutOffsets;
            offsetGroups = new OffsetGroupSelection.These(missing);
            if (lastAttempt && missing.Count > 0)
            {
                AddError("offsets", $"committed offsets of {missing.Count} groups not read: the worker died while fetching them");
                offsetGroups = OffsetGroupSelection.Nothing;
            }
        }
        return new GatherRequest(
            gatherId,
            budget,
            WantMetadata: _metadata is null && Needs(Metrics.SnapshotNeeds.Metadata),
            WantGroups: _groups is null && wantGroups,
            OffsetGroups: offsetGroups,
            WantWatermarks: _watermarks is null && Needs(Metrics.SnapshotNeeds.EarliestOffsets | Metrics.SnapshotNeeds.LatestOffsets),
            knownGroups,
            // A shard reads the latest offsets of its groups' partitions; after a crash the new worker
            // does not know the commits that already arrived. A worker that reads everything needs none.
            CommittedAlready: sharded && _watermarks is null && _offsetsByGroup.Count > 0 ? [.. _offsetsByGroup.Values.SelectMany(o => o)] : null,
            WantClusterDescription: _cluster is null && Needs(Metrics.SnapshotNeeds.ClusterDescription),
            TopicConfigKeys: TopicConfigs is null ? topicConfigKeys : null);
    }

    /// <summary>Every part the snapshot can hold: what a caller that does not say gets.</summary>
    private const Metrics.SnapshotNeeds AllNeeds = (Metrics.SnapshotNeeds)~0;

    public ClusterSnapshot Build() => new()
    {
        Metadata = _metadata,
        Groups = _groups?
            .Select(g => g with { CommittedOffsets = _offsetsByGroup.TryGetValue(g.GroupId, out var offsets) ? offsets : null })
            .ToList(),
        GroupDetails = _groupDetails?.ToDictionary(d => d.GroupId, StringComparer.Ordinal),
        Watermarks = _watermarks,
        Cluster = _cluster,
        Errors = _errors.ToList(),
        RecordTimestamps = _recordTimestamps.Count > 0 ? _recordTimestamps : null,
    };

    private readonly List<RecordTimestamp> _recordTimestamps = [];
}
