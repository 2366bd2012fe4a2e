using Microsoft.Extensions.Time.Testing;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>
/// A fake clock that also tells when code under test has started waiting on it (every Task.Delay,
/// PeriodicTimer and timed cancellation creates a timer), so a test advances the clock only once
/// the wait it means to end exists: no sleeps, no polling.
/// </summary>
internal sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _timersCreated;

    public TimeSpan Elapsed => GetUtcNow() - Start;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _timersCreated++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _timersCreated).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers have been created since the start.</summary>
    public Task WaitForTimersAsync(int count)
    {
        lock (_lock)
        {
            if (_timersCreated >= count)
            {
                return Task.CompletedTask;
            }
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(TestWait.Limit);
        }
    }
}

/// <summary>How long a test waits for an event that must come before it fails instead of hanging.</summary>
internal static class TestWait
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
}
