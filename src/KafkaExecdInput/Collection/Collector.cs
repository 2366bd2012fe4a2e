using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Collection;

/// <summary>
/// Produces one <see cref="ClusterSnapshot"/> per gather by asking the worker process, and keeps the
/// plugin alive through the worker's crashes (design.md §2, §5): a dead worker is replaced and the
/// gather resumes with what is still missing while its deadline allows. Each snapshot is shown to
/// <paramref name="history"/> before it is returned.
/// </summary>
/// <param name="adminCallTimeout">The worker's <see cref="ReaderSettings.AdminCallTimeout"/>: how long a call it started may still run.</param>
internal sealed class Collector(
    IWorkerStarter workers, TimeSpan adminCallTimeout, ILogger logger, GatherHistory? history = null, TimeProvider? time = null, GatherPlan? plan = null)
    : IAsyncDisposable
{
    public Collector(WorkerLaunch launch, ReaderSettings settings, ILogger logger, GatherHistory? history = null, GatherPlan? plan = null)
        : this(new WorkerProcessStarter(launch, settings, logger), settings.AdminCallTimeout, logger, history, plan: plan)
    {
    }

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>First try plus two resumes; the last gives up committed offsets (see SnapshotAssembler).</summary>
    internal const int MaxAttempts = 3;

    /// <summary>
    /// How late after gather start + timeout the block may reach stdout (issue 11): the deadline holds
    /// whatever librdkafka does, so an admin call still running then is not waited for.
    /// </summary>
    internal static readonly TimeSpan BlockDeadlineSlack = TimeSpan.FromMilliseconds(500);

    /// <summary>What of <see cref="BlockDeadlineSlack"/> is kept for building and writing the block once the parent stops waiting.</summary>
    internal static readonly TimeSpan BlockWriteAllowance = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Time the parent allows past the worker's budget for its answer. More than
    /// <see cref="GatherRequest.AnswerGrace"/>: a worker waiting on Kafka answers by itself at its
    /// budget; only one that cannot (stuck in native code, starved of CPU) is killed here.
    /// </summary>
    internal static readonly TimeSpan ReplyGrace = BlockDeadlineSlack - BlockWriteAllowance;

    /// <summary>Below this, a resume could not read anything useful before the deadline.</summary>
    internal static readonly TimeSpan MinimumResumeBudget = TimeSpan.FromMilliseconds(500);

    internal static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly GatherPlan _plan = plan ?? GatherPlan.Default;
    private IWorker? _worker;

    /// <summary>Retired workers still shutting down (see <see cref="RetireWorker"/>).</summary>
    private Task _retiring = Task.CompletedTask;
    private int _nextGatherId;
    private long _bytesFromRetiredWorkers;

    /// <summary>What is kept across gathers (and across workers).</summary>
    public GatherHistory History { get; } = history ?? new GatherHistory(time ?? TimeProvider.System);

    /// <summary>Workers replaced since the plugin started (crashed, hung or failed to start).</summary>
    public int WorkerRestarts { get; private set; }

    /// <summary>
    /// Workers the parent stopped waiting for at the gather's hard limit since start (a subset of
    /// <see cref="WorkerRestarts"/>): killed and reaped in the background, their parts kept.
    /// </summary>
    public int WorkersAbandoned { get; private set; }

    /// <summary>Frame bytes received from workers during gathers since start (the benchmark's bytes per gather).</summary>
    internal long GatherBytesReceived => _bytesFromRetiredWorkers + (_worker?.GatherBytesReceived ?? 0);

    /// <summary>The running worker's process id, or null between workers (for the benchmark's CPU and memory readings).</summary>
    internal int? WorkerProcessId => _worker?.ProcessId;

    /// <summary>
    /// Starts the worker up front so that configuration the Kafka client rejects is reported at
    /// start-up. Throws <see cref="WorkerStartException"/>.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken) =>
        _worker ??= await workers.StartAsync(StartTimeout, cancellationToken).ConfigureAwait(false);

    public async Task<ClusterSnapshot> CollectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetTimestamp();
        TimeSpan Remaining() => timeout - _time.GetElapsedTime(startedAt);
        var assembler = new SnapshotAssembler();
        var topicConfigKeys = _plan.TopicConfigs?.KeysDue();

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (!await EnsureWorkerAsync(assembler, Remaining(), cancellationToken).ConfigureAwait(false))
            {
                break;
            }
            var request = assembler.NextRequest(++_nextGatherId, Remaining(), lastAttempt: attempt == MaxAttempts, History.KnownGroups,
                _plan.Needs, topicConfigKeys, _plan.Sharded);
            // Admin calls started just before the deadline may run their full timeout (ReaderSettings.AdminCallTimeout);
            // the parent does not wait for them: the block is due at timeout + BlockDeadlineSlack.
            var hardLimit = Remaining() + ReplyGrace;
            var outcome = await _worker!.RunAsync(request, assembler.Add, assembler.AddError, hardLimit, cancellationToken).ConfigureAwait(false);
            if (outcome == WorkerOutcome.Completed)
            {
                if (_worker.ReplacementRequested)
                {
                    RetireWorker();
                }
                break;
            }

            var phase = assembler.CurrentPhase;
            var exit = _worker.ExitDescription;
            if (outcome == WorkerOutcome.TimedOut)
            {
                AbandonWorker();
                assembler.AddError("gather", $"no answer from the worker within the timeout while {phase}; it was restarted");
                break;
            }
            await ReplaceWorkerAsync().ConfigureAwait(false);
            if (outcome == WorkerOutcome.Cancelled)
            {
                assembler.AddError("gather", $"stopped while {phase}: the plugin is shutting down");
                break;
            }
            if (attempt == MaxAttempts || Remaining() < MinimumResumeBudget)
            {
                assembler.AddError("worker", $"the worker process died ({exit}) while {phase}; what it had not sent is missing");
                break;
            }
            // Most likely librdkafka's crash on NOT_COORDINATOR in an offset fetch (design.md §5).
            logger.LogWarning("the worker process died ({Exit}) while {Phase}; resuming the gather with a new worker", exit, phase);
        }
        var snapshot = assembler.Build();
        if (_plan.TopicConfigs is { } configs)
        {
            if (topicConfigKeys is not null)
            {
                configs.Store(assembler.TopicConfigs);
            }
            snapshot.TopicConfigs = configs.Current;
        }
        History.Observe(snapshot);
        if (History.SamplesLatestOffsets)
        {
            snapshot.LagSeconds = LagSecondsEstimator.Estimate(History, snapshot);
        }
        if (History.LagStatus is { } lagStatus)
        {
            snapshot.LagStatus = LagStatusEvaluator.Evaluate(History, snapshot, lagStatus.AllowedLag);
        }
        return snapshot;
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            _bytesFromRetiredWorkers += _worker.GatherBytesReceived;
            await _worker.DisposeAsync().ConfigureAwait(false);
            _worker = null;
        }
        await _retiring.ConfigureAwait(false);
    }

    /// <summary>
    /// Lets a worker that asked for it end in the background (its Kafka client is in a state that
    /// librdkafka is known to crash from, see ClientHealth); the next gather starts a fresh one.
    /// Not a restart: nothing was lost.
    /// </summary>
    private void RetireWorker()
    {
        var retired = _worker!;
        _bytesFromRetiredWorkers += retired.GatherBytesReceived;
        _worker = null;
        retired.Retire();
        logger.LogDebug("retiring worker process {Pid}: a group coordinator request timed out, and librdkafka 2.16 aborts once that coordinator is reachable again", retired.ProcessId);
        var previous = _retiring;
        _retiring = Task.Run(async () =>
        {
            await previous.ConfigureAwait(false);
            await retired.DisposeAsync().ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Stops waiting for a worker past the gather's hard limit (it was killed there, see
    /// <see cref="IWorker.RunAsync"/>): its exit, pipes and stderr relay are finished in the background
    /// so that the block is written now; the next gather starts a fresh worker.
    /// </summary>
    private void AbandonWorker()
    {
        WorkerRestarts++;
        WorkersAbandoned++;
        var abandoned = _worker!;
        _bytesFromRetiredWorkers += abandoned.GatherBytesReceived;
        _worker = null;
        abandoned.Retire();
        logger.LogDebug("abandoned worker process {Pid} at the gather's hard limit; an admin call it started may have run up to {AdminCallTimeout} more", abandoned.ProcessId, adminCallTimeout);
        var previous = _retiring;
        _retiring = Task.Run(async () =>
        {
            await previous.ConfigureAwait(false);
            await abandoned.DisposeAsync().ConfigureAwait(false);
        });
    }

    private async Task<bool> EnsureWorkerAsync(SnapshotAssembler assembler, TimeSpan remaining, CancellationToken cancellationToken)
    {
        if (_worker is not null)
        {
            return true;
        }
        try
        {
            var startLimit = remaining < StartTimeout ? remaining : StartTimeout;
            _worker = await workers.StartAsync(startLimit, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WorkerStartException e)
        {
            assembler.AddError("worker", $"could not start the worker process: {e.Message}");
            return false;
        }
    }

    private async Task ReplaceWorkerAsync()
    {
        WorkerRestarts++;
        await DisposeAsync().ConfigureAwait(false);
    }
}
