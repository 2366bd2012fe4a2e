using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Worker;

/// <summary>
/// The sink of one gather: passes its parts and errors on until the gather is answered, then drops
/// them. A gather is answered at its deadline even when some Kafka call has not returned
/// (<see cref="WorkerHost"/>); what such a call sends afterwards belongs to no gather, and parts do
/// not say which gather they are of.
/// </summary>
internal sealed class GatherGate(IGatherSink inner) : IGatherSink
{
    // Not disposed: a call cut off at the deadline may still knock after the gather was answered.
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _closed;

    public Task SendAsync(GatherPart part) => PassAsync(() => inner.SendAsync(part));

    public Task ReportAsync(GatherError error) => PassAsync(() => inner.ReportAsync(error));

    /// <summary>Lets a send in progress finish, then drops everything after it.</summary>
    public async Task CloseAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        _closed = true;
        _lock.Release();
    }

    private async Task PassAsync(Func<Task> send)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_closed)
            {
                await send().ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
