using System.Diagnostics;
using KafkaExecdInput.Logging;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Collection;

/// <summary>How a request to the worker ended.</summary>
internal enum WorkerOutcome
{
    /// <summary>The worker sent everything it could read and said it was done.</summary>
    Completed,

    /// <summary>The worker process ended mid-request (a librdkafka crash, or killed from outside).</summary>
    Died,

    /// <summary>The worker did not finish by the hard limit and was killed.</summary>
    TimedOut,

    /// <summary>The caller cancelled (shutdown); the worker was killed.</summary>
    Cancelled,
}

/// <summary>
/// The parent's handle on one worker process: starts it, hands it requests, reads back parts, and
/// relays its stderr log lines through the parent's logger.
/// </summary>
internal sealed class WorkerProcess : IWorker
{
    private readonly Process _process;
    private readonly FrameStream _requests;
    private readonly FrameStream _replies;
    private readonly Task _stderrRelay;
    private readonly ILogger _logger;
    private volatile bool _retired;

    private WorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
        _requests = new FrameStream(process.StandardInput.BaseStream);
        _replies = new FrameStream(process.StandardOutput.BaseStream);
        _stderrRelay = Task.Run(() => RelayStderrAsync(process.StandardError));
    }

    public int ProcessId => _process.Id;

    /// <summary>Bytes of frames (length prefix included) this worker has sent during gathers: what the codec costs on the pipe.</summary>
    public long GatherBytesReceived { get; private set; }

    /// <summary>The worker asked to be retired after its last gather (see <see cref="GatherDone"/>).</summary>
    public bool ReplacementRequested { get; private set; }

    /// <summary>
    /// Takes the worker out of service before it is disposed: it gets no more requests, and what it
    /// still logs is relayed at debug level.
    /// </summary>
    public void Retire() => _retired = true;

    /// <summary>"exit code 139 (SIGSEGV)" and the like, once the process has ended.</summary>
    public string ExitDescription => DescribeExit(_process);

    /// <summary>
    /// Starts a worker and waits until its Kafka client exists. Throws <see cref="WorkerStartException"/>
    /// when the worker could not be started or rejected the configuration.
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(
        WorkerLaunch launch, ReaderSettings settings, ILogger logger, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in launch.Environment)
        {
            startInfo.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new WorkerStartException($"could not start {launch.FileName}", isConfigurationError: false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new WorkerStartException($"could not start the worker process {launch.FileName}: {e.Message}", isConfigurationError: false);
        }

        var worker = new WorkerProcess(process, logger);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(startTimeout);
            await using var killOnTimeout = timeout.Token.Register(worker.Kill).ConfigureAwait(false);

            await worker.SendAsync(new StartWorker(MessageCodec.ProtocolVersion, settings)).ConfigureAwait(false);
            var frame = await worker._replies.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            switch (frame is { } reply ? MessageCodec.ReadWorkerMessage(reply.Span) : null)
            {
                case WorkerReady:
                    return worker;
                case WorkerFatal fatal:
                    throw new WorkerStartException(fatal.Message, fatal.IsConfigurationError);
                default:
                    await worker.WaitForExitAsync().ConfigureAwait(false);
                    throw new WorkerStartException(
                        timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                            ? $"the worker process did not become ready within {startTimeout.TotalSeconds:0.#}s"
                            : $"the worker process ended during start-up ({worker.ExitDescription})",
                        isConfigurationError: false);
            }
        }
        catch (InvalidDataException e)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw new WorkerStartException($"the worker process answered its start request with something unreadable ({e.Message})", isConfigurationError: false);
        }
        catch (Exception e) when (e is IOException or WorkerStartException)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw e as WorkerStartException
                ?? new WorkerStartException($"the worker process ended during start-up ({worker.ExitDescription})", isConfigurationError: false);
        }
    }

    /// <summary>
    /// Sends one request and hands every part to <paramref name="onPart"/> and every error to
    /// <paramref name="onError"/> until the worker is done, dies, passes <paramref name="hardLimit"/>,
    /// or the caller cancels.
    /// </summary>
    public async Task<WorkerOutcome> RunAsync(
        GatherRequest request, Action<GatherPart> onPart, Action<GatherError> onError, TimeSpan hardLimit, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(hardLimit);
        // Killing the process is what unblocks a pending pipe read, whatever the stream supports.
        await using var killOnTimeout = timeout.Token.Register(Kill).ConfigureAwait(false);
        await using var killOnCancel = cancellationToken.Register(Kill).ConfigureAwait(false);
        try
        {
            await SendAsync(request).ConfigureAwait(false);
            while (await _replies.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
            {
                GatherBytesReceived += frame.Length + sizeof(int);
                switch (MessageCodec.ReadWorkerMessage(frame.Span))
                {
                    case GatherPart part:
                        onPart(part);
                        break;
                    case GatherFailure failure:
                        onError(failure.Error);
                        break;
                    case GatherDone done when done.GatherId == request.GatherId:
                        ReplacementRequested |= done.ReplaceWorker;
                        return WorkerOutcome.Completed;
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke: the worker is gone; fall through to find out why.
        }
        catch (InvalidDataException e)
        {
            // A worker that writes what cannot be read is treated like one that died mid-gather.
            _logger.LogWarning("the worker process sent an unreadable message ({Error}); replacing it", e.Message);
            Kill();
        }

        if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Killed at the hard limit: the collector reaps it in the background (DisposeAsync), the block is due now.
            return WorkerOutcome.TimedOut;
        }
        await WaitForExitAsync().ConfigureAwait(false);
        return cancellationToken.IsCancellationRequested ? WorkerOutcome.Cancelled
            : timeout.IsCancellationRequested ? WorkerOutcome.TimedOut
            : WorkerOutcome.Died;
    }

    private Task SendAsync(ParentMessage message) =>
        _requests.WriteAsync(buffer => MessageCodec.Write(buffer, message), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Closing stdin asks the worker to exit on its own; it is killed if it does not.
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        await WaitForExitAsync().ConfigureAwait(false);
        await _stderrRelay.ConfigureAwait(false);
        // Process.Dispose leaves redirected streams that were read synchronously open (until a GC
        // finalizes them): two pipe descriptors per worker, which a plugin replacing its worker every
        // gather during an outage would pile up into the descriptor limit.
        _process.StandardOutput.Dispose();
        _process.StandardError.Dispose();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task WaitForExitAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RelayStderrAsync(StreamReader stderr)
    {
        while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var relayed = TelegrafLogLine.Parse(line);
            if (_retired)
            {
                // A retired worker's last words (librdkafka may still abort while it shuts down) cost nothing.
                _logger.LogDebug("retired worker: {Message}", relayed.Message);
                continue;
            }
            _logger.Log(relayed.Level, "{Message}", relayed.Message);
        }
    }

    private static string DescribeExit(Process process)
    {
        if (!process.HasExited)
        {
            return "still running";
        }
        var code = process.ExitCode;
        // A process killed by signal N reports 128+N here.
        return code > 128 && code < 160 ? $"exit code {code} ({SignalName(code - 128)})" : $"exit code {code}";
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}

/// <summary>Starts <see cref="WorkerProcess"/>es: the plugin's own executable in its worker mode.</summary>
internal sealed class WorkerProcessStarter(WorkerLaunch launch, ReaderSettings settings, ILogger logger) : IWorkerStarter
{
    public async Task<IWorker> StartAsync(TimeSpan startTimeout, CancellationToken cancellationToken) =>
        await WorkerProcess.StartAsync(launch, settings, logger, startTimeout, cancellationToken).ConfigureAwait(false);
}

/// <summary>The worker could not be started; a configuration error when the Kafka client rejected the settings.</summary>
internal sealed class WorkerStartException(string message, bool isConfigurationError) : Exception(message)
{
    public bool IsConfigurationError { get; } = isConfigurationError;
}
