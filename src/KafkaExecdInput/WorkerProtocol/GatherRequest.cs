namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// What the parent asks the worker to read. A first attempt asks for everything; after a worker
/// crash the parent resumes with only what it has not received yet.
/// </summary>
/// <param name="GatherId">Echoed in <see cref="GatherDone"/> so a late answer to an old request is recognised.</param>
/// <param name="Budget">Time the worker may spend; it stops starting work when this runs out.</param>
/// <param name="OffsetGroups">Groups whose committed offsets to fetch.</param>
/// <param name="KnownGroups">Groups seen in the previous gather: any the listing misses are described one by one.</param>
/// <param name="CommittedAlready">
/// A resumed gather's commits the parent already holds: a shard reads these partitions' latest offsets
/// too, since its groups' lag needs them (README, Sharding).
/// </param>
/// <param name="WantClusterDescription">Cluster id, controller and racks (DescribeCluster), asked after the metadata.</param>
/// <param name="TopicConfigKeys">Topic configs to read (DescribeConfigs) for the topics in the metadata; null for none.</param>
internal sealed record GatherRequest(
    int GatherId,
    TimeSpan Budget,
    bool WantMetadata,
    bool WantGroups,
    OffsetGroupSelection OffsetGroups,
    bool WantWatermarks,
    IReadOnlyList<string> KnownGroups,
    IReadOnlyList<CommittedOffset>? CommittedAlready = null,
    bool WantClusterDescription = false,
    IReadOnlyList<string>? TopicConfigKeys = null) : ParentMessage;
