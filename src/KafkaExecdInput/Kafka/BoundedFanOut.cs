namespace KafkaExecdInput.Kafka;

/// <summary>
/// Runs one Kafka call per item with at most a given number in flight, and ends at the gather's
/// deadline whatever the calls do. Shared by the readers whose calls are one per group, batch or leader.
/// </summary>
/// <remarks>
/// <para>Why it stops waiting: an admin call may outlive the deadline by its whole timeout, which is
/// never shorter than request_timeout (Kafka/README.md, crash fact <c>late-response-abort</c>), and
/// the gather's block is due at the deadline (issue 11). So at the deadline the fan-out returns: items
/// not started go to <c>notStarted</c>, calls still running to <c>unanswered</c>, and their answers,
/// when they come, are dropped.</para>
/// <para>Each call's result is recorded by <c>record</c>, one at a time and never after the fan-out
/// returned, so a reader's collections need no lock and are complete and still once it has returned.</para>
/// </remarks>
internal static class BoundedFanOut
{
    public static Task RunAsync<TItem, TResult>(
        IEnumerable<TItem> items, int maxInFlight, Deadline deadline,
        Func<TItem, Task<TResult>> call, Action<TItem, TResult> record, Action<TItem> notStarted, Action<TItem> unanswered) =>
        RunAsync(items, maxInFlight, deadline, call, (item, result) =>
        {
            record(item, result);
            return Task.CompletedTask;
        }, notStarted, unanswered);

    public static async Task RunAsync<TItem, TResult>(
        IEnumerable<TItem> items, int maxInFlight, Deadline deadline,
        Func<TItem, Task<TResult>> call, Func<TItem, TResult, Task> record, Action<TItem> notStarted, Action<TItem> unanswered)
    {
        // Neither semaphore is disposed: calls cut off at the deadline still release them afterwards.
        var slots = new SemaphoreSlim(maxInFlight);
        var recording = new SemaphoreSlim(1, 1);
        var open = true; // guarded by recording
        var running = new List<Running<TItem>>();
        var reached = deadline.ReachedAsync();

        var started = true;
        foreach (var item in items)
        {
            if (started)
            {
                var slot = slots.WaitAsync();
                await Task.WhenAny(slot, reached).ConfigureAwait(false);
                started = slot.IsCompleted && !deadline.Expired;
                if (started)
                {
                    var entry = new Running<TItem>(item);
                    entry.Done = RunOneAsync(entry);
                    running.Add(entry);
                    continue;
                }
                if (slot.IsCompleted)
                {
                    slots.Release();
                }
            }
            notStarted(item);
        }

        var all = Task.WhenAll(running.Select(r => r.Done));
        await Task.WhenAny(all, reached).ConfigureAwait(false);
        if (all.IsCompleted)
        {
            await all.ConfigureAwait(false);
            return;
        }
        await recording.WaitAsync().ConfigureAwait(false);
        try
        {
            open = false;
            var unrecorded = running.Where(r => !r.Recorded).ToList();
            deadline.Abandoned(unrecorded.Count);
            foreach (var entry in unrecorded)
            {
                unanswered(entry.Item);
            }
        }
        finally
        {
            recording.Release();
        }

        async Task RunOneAsync(Running<TItem> entry)
        {
            TResult result;
            try
            {
                result = await call(entry.Item).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
            await recording.WaitAsync().ConfigureAwait(false);
            try
            {
                if (open)
                {
                    await record(entry.Item, result).ConfigureAwait(false);
                    entry.Recorded = true;
                }
            }
            finally
            {
                recording.Release();
            }
        }
    }

    private sealed class Running<TItem>(TItem item)
    {
        public TItem Item { get; } = item;

        public Task Done { get; set; } = Task.CompletedTask;

        /// <summary>Written and read under the recording semaphore.</summary>
        public bool Recorded { get; set; }
    }
}
