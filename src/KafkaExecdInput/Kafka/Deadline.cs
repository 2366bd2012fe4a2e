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

    private int _abandonedCalls;

    /// <summary>Kafka calls still running when their reader stopped waiting for them at this deadline (Kafka/BoundedFanOut.cs).</summary>
    public int AbandonedCalls => Volatile.Read(ref _abandonedCalls);

    public void Abandoned(int calls) => Interlocked.Add(ref _abandonedCalls, calls);

    /// <summary>Completes when the deadline is reached (at once when it has passed).</summary>
    public Task ReachedAsync() => Remaining is var left && left > TimeSpan.Zero ? Task.Delay(left, time) : Task.CompletedTask;

    /// <summary>
    /// Waits for <paramref name="task"/>, but no longer than <paramref name="limit"/>; the timer is
    /// cancelled when the task ends first, so none is left behind per gather.
    /// </summary>
    public async Task WaitAtMostAsync(Task task, TimeSpan limit)
    {
        if (task.IsCompleted || limit <= TimeSpan.Zero)
        {
            return;
        }
        using var ended = new CancellationTokenSource();
        await Task.WhenAny(task, Task.Delay(limit, time, ended.Token)).ConfigureAwait(false);
        await ended.CancelAsync().ConfigureAwait(false);
    }

    public TimeSpan CallTimeout(TimeSpan requestTimeout) =>
        Remaining < requestTimeout ? (Remaining < MinimumUseful ? MinimumUseful : Remaining) : requestTimeout;
}
