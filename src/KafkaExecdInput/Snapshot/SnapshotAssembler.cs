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

    /// <exception cref="InvalidDataException">A part is inconsistent in itself.</exception>
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
                    _offsetsByGroup[group.GroupId] = group.ToCommittedOffsets();
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
            case RecordTimestampsPart records:
                _recordTimestamps.AddRange(records.Records);
                break;
        }
    }

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
    public GatherRequest NextRequest(int gatherId, TimeSpan budget, bool lastAttempt, IReadOnlyList<string> knownGroups)
    {
        var offsetGroups = OffsetGroupSelection.All;
        if (_groups is not null)
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
            WantMetadata: _metadata is null,
            WantGroups: _groups is null,
            OffsetGroups: offsetGroups,
            WantWatermarks: _watermarks is null,
            knownGroups);
    }

    public ClusterSnapshot Build() => new()
    {
        Metadata = _metadata,
        Groups = _groups?
            .Select(g => g with { CommittedOffsets = _offsetsByGroup.TryGetValue(g.GroupId, out var offsets) ? offsets : null })
            .ToList(),
        GroupDetails = _groupDetails?.ToDictionary(d => d.GroupId, StringComparer.Ordinal),
        Watermarks = _watermarks,
        Errors = _errors.ToList(),
        RecordTimestamps = _recordTimestamps.Count > 0 ? _recordTimestamps : null,
    };

    private readonly List<RecordTimestamp> _recordTimestamps = [];
}
