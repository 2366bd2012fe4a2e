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

/// <summary>
/// One group's committed offsets (only partitions that have a commit), laid out by topic so that a
/// topic's name crosses the pipe once per group, not once per partition: the wire layout of
/// <see cref="ConsumerGroupInfo.CommittedOffsets"/>.
/// </summary>
internal sealed record GroupOffsets(string GroupId, IReadOnlyList<TopicOffsets> Topics)
{
    public static GroupOffsets From(string groupId, IEnumerable<CommittedOffset> offsets)
    {
        var byTopic = new Dictionary<string, TopicOffsets>(StringComparer.Ordinal);
        var topics = new List<TopicOffsets>();
        foreach (var offset in offsets)
        {
            if (!byTopic.TryGetValue(offset.Topic, out var topic))
            {
                byTopic[offset.Topic] = topic = new TopicOffsets(offset.Topic, new List<int>(), new List<long>());
                topics.Add(topic);
            }
            ((List<int>)topic.Partitions).Add(offset.Partition);
            ((List<long>)topic.Offsets).Add(offset.Offset);
        }
        return new GroupOffsets(groupId, topics);
    }

    /// <exception cref="InvalidDataException">A topic's partitions and offsets differ in number.</exception>
    public CommittedOffset[] ToCommittedOffsets()
    {
        var offsets = new CommittedOffset[Topics.Sum(t => t.Partitions.Count)];
        var next = 0;
        foreach (var topic in Topics)
        {
            if (topic.Partitions.Count != topic.Offsets.Count)
            {
                throw new InvalidDataException($"group {GroupId}, topic {topic.Topic}: {topic.Partitions.Count} partitions but {topic.Offsets.Count} offsets");
            }
            for (var i = 0; i < topic.Partitions.Count; i++)
            {
                offsets[next++] = new CommittedOffset(topic.Topic, topic.Partitions[i], topic.Offsets[i]);
            }
        }
        return offsets;
    }
}

/// <summary>Committed offsets of one topic: <c>Offsets[i]</c> is the commit on partition <c>Partitions[i]</c>.</summary>
internal sealed record TopicOffsets(
    [property: JsonPropertyName("t")] string Topic,
    [property: JsonPropertyName("p")] IReadOnlyList<int> Partitions,
    [property: JsonPropertyName("o")] IReadOnlyList<long> Offsets);

/// <summary>The records read at lagging groups' committed offsets (lag_seconds_exact), sent once per gather.</summary>
internal sealed record RecordTimestampsPart(IReadOnlyList<RecordTimestamp> Records) : GatherPart;
