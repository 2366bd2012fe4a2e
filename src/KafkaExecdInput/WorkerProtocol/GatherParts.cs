using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// A piece of a gather's data, sent by the worker as soon as it is read so that a worker crash late
/// in a gather loses only what was not yet sent (design.md §2). How a gather ends and what went
/// wrong travel as control messages (<see cref="GatherDone"/>, <see cref="GatherFailure"/>).
/// </summary>
internal abstract record GatherPart : WorkerMessage;

internal sealed record MetadataPart(ClusterMetadata Metadata) : GatherPart;

/// <summary>
/// The groups that passed the group filter, with state and (when described) member count; no offsets.
/// <paramref name="Details"/> holds what the descriptions said beyond that, one per described group.
/// </summary>
internal sealed record GroupsPart(IReadOnlyList<ConsumerGroupInfo> Groups, IReadOnlyList<GroupDetail>? Details = null) : GatherPart;

/// <summary>Committed offsets of some groups; a batch is sent as fetches complete.</summary>
internal sealed record GroupOffsetsPart(IReadOnlyList<GroupOffsets> Groups) : GatherPart;

internal sealed record WatermarksPart(WatermarkTable Watermarks) : GatherPart;

/// <summary>Cluster id, controller and racks (DescribeCluster), read once the metadata has arrived.</summary>
internal sealed record ClusterDescriptionPart(ClusterDescription Cluster) : GatherPart;

/// <summary>
/// The requested configs of the topics in the metadata (DescribeConfigs, batched). <paramref name="Denied"/>
/// says which topics the client may not describe (an authorization error: a lasting lack of
/// permission, logged as a warning once per refresh rather than as a gather error), or is null.
/// </summary>
internal sealed record TopicConfigsPart(IReadOnlyList<TopicConfigValues> Topics, string? Denied = null) : GatherPart;

/// <summary>
/// One group's committed offsets (only partitions that have a commit), kept topic by topic so that on the
/// wire a topic's name crosses the pipe once per group, not once per partition (<see cref="GroupOffsetsConverter"/>).
/// </summary>
[JsonConverter(typeof(GroupOffsetsConverter))]
internal sealed record GroupOffsets(string GroupId, IReadOnlyList<CommittedOffset> Offsets)
{
    /// <summary>The offsets with each topic's partitions together, in the order topics first appear.</summary>
    public static GroupOffsets From(string groupId, IEnumerable<CommittedOffset> offsets)
    {
        CommittedOffset[] array = [.. offsets];
        return new GroupOffsets(groupId, TopicsTogether(array) ? array : [.. array.GroupBy(o => o.Topic, StringComparer.Ordinal).SelectMany(t => t)]);
    }

    private static bool TopicsTogether(CommittedOffset[] offsets)
    {
        HashSet<string>? finished = null; // topics whose run has ended; most groups have one topic and need none
        for (var i = 1; i < offsets.Length; i++)
        {
            if (!string.Equals(offsets[i].Topic, offsets[i - 1].Topic, StringComparison.Ordinal))
            {
                finished ??= new HashSet<string>(StringComparer.Ordinal);
                finished.Add(offsets[i - 1].Topic);
                if (finished.Contains(offsets[i].Topic))
                {
                    return false;
                }
            }
        }
        return true;
    }
}

/// <summary>The records read at lagging groups' committed offsets (lag_seconds_exact), sent once per gather.</summary>
internal sealed record RecordTimestampsPart(IReadOnlyList<RecordTimestamp> Records) : GatherPart;
