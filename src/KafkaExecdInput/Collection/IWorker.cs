using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Collection;

/// <summary>
/// One started worker as the <see cref="Collector"/> uses it: <see cref="WorkerProcess"/> in the plugin, a fake in
/// the unit tests of the collector's rules (restart, resume, retire, errors).
/// </summary>
internal interface IWorker : IAsyncDisposable
{
    int ProcessId { get; }

    /// <summary>Bytes of frames (length prefix included) this worker has sent during gathers.</summary>
    long GatherBytesReceived { get; }

    /// <summary>The worker asked to be retired after its last gather (see <see cref="GatherDone"/>).</summary>
    bool ReplacementRequested { get; }

    /// <summary>"exit code 139 (SIGSEGV)" and the like, once the worker has ended.</summary>
    string ExitDescription { get; }

    /// <summary>Takes the worker out of service before it is disposed.</summary>
    void Retire();

    /// <summary>
    /// Sends one request and hands every part to <paramref name="onPart"/> and every error to
    /// <paramref name="onError"/> until the worker is done, dies, passes <paramref name="hardLimit"/>,
    /// or the caller cancels.
    /// </summary>
    Task<WorkerOutcome> RunAsync(
        GatherRequest request, Action<GatherPart> onPart, Action<GatherError> onError, TimeSpan hardLimit, CancellationToken cancellationToken);
}

/// <summary>Starts workers for the <see cref="Collector"/>.</summary>
internal interface IWorkerStarter
{
    /// <summary>A worker whose Kafka client exists. Throws <see cref="WorkerStartException"/>.</summary>
    Task<IWorker> StartAsync(TimeSpan startTimeout, CancellationToken cancellationToken);
}
