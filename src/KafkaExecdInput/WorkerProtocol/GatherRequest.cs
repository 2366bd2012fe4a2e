namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// What the parent asks the worker to read. A first attempt asks for everything; after a worker
/// crash the parent resumes with only what it has not received yet.
/// </summary>
/// <param name="GatherId">Echoed in <see cref="GatherDone"/> so a late answer to an old request is recognised.</param>
/// <param name="Budget">
/// Time the worker may spend: it stops starting work when this runs out, and answers (what it read,
/// then <see cref="GatherDone"/>) at most <see cref="AnswerGrace"/> later, whatever its Kafka calls do.
/// </param>
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
    IReadOnlyList<string>? TopicConfigKeys = null) : ParentMessage
{
    /// <summary>
    /// How long after <see cref="Budget"/> the worker's answer may take: the readers end at the budget and
    /// send what they hold (Kafka/BoundedFanOut.cs), which at L is a few MB of frames. Less than the
    /// parent's wait past the budget (Collection/Collector.ReplyGrace), so the parent never has to kill
    /// a worker that is merely waiting on Kafka.
    /// </summary>
    public static readonly TimeSpan AnswerGrace = TimeSpan.FromMilliseconds(150);
}
