namespace KafkaExecdInput.Kafka;

/// <summary>
/// The one deadline of a gather (design.md §2). Every Kafka call gets the smaller of the
/// per-request timeout and what is left, so no single call can carry the gather past its end.
/// </summary>
internal sealed class Deadline(TimeSpan budget, TimeProvider time)
{
    /// <summary>Less than this left is not worth starting a request for.</summary>
    internal static readonly TimeSpan MinimumUseful = TimeSpan.FromMilliseconds(50);

    private readonly long _startedAt = time.GetTimestamp();

    public TimeSpan Budget => budget;

    public TimeSpan Remaining => budget - time.GetElapsedTime(_startedAt);

    public bool Expired => Remaining < MinimumUseful;

    public TimeSpan CallTimeout(TimeSpan requestTimeout) =>
        Remaining < requestTimeout ? (Remaining < MinimumUseful ? MinimumUseful : Remaining) : requestTimeout;
}
