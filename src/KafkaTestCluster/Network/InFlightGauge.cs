namespace KafkaTestCluster.Network;

/// <summary>
/// Requests of one connection that were read and not yet answered, reported to the broker's counters (which keep
/// the peaks). A request nobody will answer (hung, or the connection closed first) stays counted until the
/// connection ends.
/// </summary>
internal sealed class InFlightGauge(ClusterCounters counters, int brokerId)
{
    private int _current;

    public void Begin() => counters.RequestStarted(brokerId, Interlocked.Increment(ref _current));

    public void End()
    {
        // After EndAll (the connection closing while a write completes) there is nothing left to end.
        var current = Volatile.Read(ref _current);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _current, current - 1, current);
            if (seen == current)
            {
                counters.RequestEnded(brokerId, 1);
                return;
            }

            current = seen;
        }
    }

    /// <summary>The connection is gone: whatever it still held is no longer in flight.</summary>
    public void EndAll()
    {
        var left = Interlocked.Exchange(ref _current, 0);
        if (left > 0)
        {
            counters.RequestEnded(brokerId, left);
        }
    }
}
