using KafkaExecdInput.Collection;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Time.Testing;

namespace KafkaExecdInput.UnitTests.Collection;

/// <summary>What a fake worker does with one request: the parts and errors it sends, then how the request ends.</summary>
internal sealed record FakeReply(WorkerOutcome Outcome, IReadOnlyList<GatherPart>? Parts = null, IReadOnlyList<GatherError>? Errors = null)
{
    /// <summary>Fake time that passes before the request ends (the worker was reading).</summary>
    public TimeSpan Takes { get; init; }

    public bool ReplaceWorker { get; init; }

    public static FakeReply Completed(params GatherPart[] parts) => new(WorkerOutcome.Completed, parts);

    /// <summary>The worker sends <paramref name="parts"/>, then dies as librdkafka's crash kills it.</summary>
    public static FakeReply Dies(params GatherPart[] parts) => new(WorkerOutcome.Died, parts);
}

/// <summary>
/// Starts fake workers that answer requests from a script, one <see cref="FakeReply"/> per request in order, and
/// records every request and every worker, so that the <see cref="Collector"/>'s rules can be tested in process.
/// </summary>
internal sealed class FakeWorkers(FakeTimeProvider time, params Func<GatherRequest, FakeReply>[] script) : IWorkerStarter
{
    public const string CrashExit = "exit code 139 (SIGSEGV)";

    private readonly Queue<Func<GatherRequest, FakeReply>> _script = new(script);
    private readonly List<FakeWorker> _started = [];
    private readonly List<(GatherRequest Request, TimeSpan HardLimit, int Worker)> _requests = [];

    /// <summary>When set, the next start fails with it (and it is cleared).</summary>
    public WorkerStartException? NextStartFailure { get; set; }

    public IReadOnlyList<FakeWorker> Started => _started;

    /// <summary>The start timeout each start (failed or not) was given.</summary>
    public List<TimeSpan> StartLimits { get; } = [];

    public IReadOnlyList<(GatherRequest Request, TimeSpan HardLimit, int Worker)> Requests => _requests;

    public Task<IWorker> StartAsync(TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        StartLimits.Add(startTimeout);
        if (NextStartFailure is { } failure)
        {
            NextStartFailure = null;
            throw failure;
        }
        var worker = new FakeWorker(this, _started.Count + 1);
        _started.Add(worker);
        return Task.FromResult<IWorker>(worker);
    }

    private FakeReply Answer(GatherRequest request, TimeSpan hardLimit, int worker)
    {
        _requests.Add((request, hardLimit, worker));
        var reply = _script.Count > 0 ? _script.Dequeue()(request) : throw new InvalidOperationException($"no scripted reply for request {_requests.Count}");
        time.Advance(reply.Takes);
        return reply;
    }

    internal sealed class FakeWorker(FakeWorkers owner, int processId) : IWorker
    {
        public int ProcessId { get; } = processId;

        public long GatherBytesReceived { get; private set; }

        public bool ReplacementRequested { get; private set; }

        public string ExitDescription { get; private set; } = "still running";

        public bool Retired { get; private set; }

        public bool Disposed { get; private set; }

        public void Retire() => Retired = true;

        public Task<WorkerOutcome> RunAsync(
            GatherRequest request, Action<GatherPart> onPart, Action<GatherError> onError, TimeSpan hardLimit, CancellationToken cancellationToken)
        {
            Assert.False(Disposed || Retired, $"worker {ProcessId} got a request after it was taken out of service");
            var reply = owner.Answer(request, hardLimit, ProcessId);
            foreach (var part in reply.Parts ?? [])
            {
                GatherBytesReceived += 100;
                onPart(part);
            }
            foreach (var error in reply.Errors ?? [])
            {
                onError(error);
            }
            ReplacementRequested |= reply.ReplaceWorker;
            if (reply.Outcome != WorkerOutcome.Completed)
            {
                ExitDescription = reply.Outcome == WorkerOutcome.Died ? CrashExit : "exit code 137 (SIGKILL)";
            }
            return Task.FromResult(reply.Outcome);
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Parts of a small cluster, as a worker sends them.</summary>
internal static class Parts
{
    public static MetadataPart Metadata(params string[] topics) => new(new ClusterMetadata(
        [new BrokerInfo(1, "kafka-1", 9092)],
        [.. topics.Select(t => new TopicInfo(t, [new PartitionInfo(0, 1, [1], [1])]))]));

    public static GroupsPart Groups(params string[] groupIds) => new([.. groupIds.Select(g => new ConsumerGroupInfo(g, "Stable", 1))]);

    public static GroupOffsetsPart Offsets(string topic, params string[] groupIds) =>
        new([.. groupIds.Select(g => GroupOffsets.From(g, [new CommittedOffset(topic, 0, 5)]))]);

    public static WatermarksPart Watermarks(string topic)
    {
        var table = new WatermarkTable();
        table.SetEarliest(topic, 0, 0);
        table.SetLatest(topic, 0, 10);
        return new WatermarksPart(table);
    }
}
