namespace KafkaExecdInput.Snapshot;

/// <summary>
/// A piece of a gather, sent by the worker as soon as it is read so that a worker crash late in a
/// gather loses only what was not yet sent (design.md §2).
/// </summary>
internal abstract record GatherPart;

internal sealed record MetadataPart(ClusterMetadata Metadata) : GatherPart;

/// <summary>The groups that passed the group filter, with state and (when described) member count.</summary>
internal sealed record GroupsPart(IReadOnlyList<GroupListing> Groups) : GatherPart;

internal sealed record GroupListing(string GroupId, string State, int? MemberCount);

/// <summary>Committed offsets of some groups; a batch is sent as fetches complete.</summary>
internal sealed record GroupOffsetsPart(IReadOnlyList<GroupOffsets> Groups) : GatherPart;

/// <summary>One group's committed offsets (only partitions that have a commit).</summary>
internal sealed record GroupOffsets(string GroupId, IReadOnlyList<CommittedOffset> Offsets);

internal sealed record WatermarksPart(IReadOnlyList<PartitionWatermarks> Partitions) : GatherPart;

internal readonly record struct PartitionWatermarks(string Topic, int Partition, long? Earliest, long? Latest);

internal sealed record ErrorPart(GatherError Error) : GatherPart;

/// <summary>
/// The worker finished the request (whatever it could read has been sent). <paramref name="ReplaceWorker"/>
/// asks the parent to retire this worker before the next gather: its Kafka client is in a state that
/// librdkafka 2.16 is known to crash from (Kafka/ClientHealth.cs).
/// </summary>
internal sealed record GatherDonePart(int GatherId, bool ReplaceWorker = false) : GatherPart;
