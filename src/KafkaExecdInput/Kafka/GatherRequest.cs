namespace KafkaExecdInput.Kafka;

/// <summary>
/// What the parent asks the worker to read. A first attempt asks for everything; after a worker
/// crash the parent resumes with only what it has not received yet.
/// </summary>
/// <param name="GatherId">Echoed in <see cref="GatherDonePart"/> so a late answer to an old request is recognised.</param>
/// <param name="Budget">Time the worker may spend; it stops starting work when this runs out.</param>
/// <param name="OffsetGroups">Groups whose committed offsets to fetch; null means every listed group.</param>
/// <param name="KnownGroups">Groups seen in the previous gather: any the listing misses are described one by one.</param>
internal sealed record GatherRequest(
    int GatherId,
    TimeSpan Budget,
    bool WantMetadata,
    bool WantGroups,
    IReadOnlyList<string>? OffsetGroups,
    bool WantWatermarks,
    IReadOnlyList<string> KnownGroups)
{
    public static GatherRequest Everything(int gatherId, TimeSpan budget, IReadOnlyList<string> knownGroups) =>
        new(gatherId, budget, WantMetadata: true, WantGroups: true, OffsetGroups: null, WantWatermarks: true, knownGroups);
}
