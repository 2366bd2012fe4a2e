namespace KafkaExecdInput.Kafka;

/// <summary>
/// Runs one Kafka call per item with at most a given number in flight, and starts nothing once
/// the gather's deadline has passed: what was not started is handed back, for the caller to
/// report. Shared by the readers whose calls are one per group, batch or leader.
/// </summary>
internal static class BoundedFanOut
{
    public static async Task RunAsync<T>(
        IEnumerable<T> items, int maxInFlight, Deadline deadline, Func<T, Task> work, Action<T> notStarted)
    {
        using var slots = new SemaphoreSlim(maxInFlight);
        var running = new List<Task>();
        foreach (var item in items)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            if (deadline.Expired)
            {
                slots.Release();
                notStarted(item);
                continue;
            }
            running.Add(RunAsync(item));
        }
        await Task.WhenAll(running).ConfigureAwait(false);

        async Task RunAsync(T item)
        {
            try
            {
                await work(item).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
