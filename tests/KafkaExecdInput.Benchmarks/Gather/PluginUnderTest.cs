using System.Diagnostics;
using KafkaExecdInput.Collection;
using KafkaExecdInput.Configuration;
using KafkaExecdInput.Execd;
using KafkaExecdInput.History;
using KafkaExecdInput.WorkerProtocol;
using KafkaExecdInput.Logging;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Metrics.Families;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// The plugin's own pipeline, wired as Cli/PluginRunner wires it: configuration → LibrdkafkaSettings →
/// ReaderSettings → Collector (a real worker process, the kafka-execd-input apphost with --worker) →
/// GatherCycle (MetricBuilder + LineProtocolWriter), each gather's block written to a stream as ExecdLoop does.
/// </summary>
internal sealed class PluginUnderTest : IAsyncDisposable
{
    private readonly ILoggerFactory _logging;
    private readonly Collector _collector;
    private readonly GatherCycle _cycle;
    private readonly BlockStream _block;

    private PluginUnderTest(ILoggerFactory logging, Collector collector, GatherCycle cycle, BlockStream block)
    {
        _block = block;
        _logging = logging;
        _collector = collector;
        _cycle = cycle;
    }

    public int? WorkerProcessId => _collector.WorkerProcessId;

    public int WorkerRestarts => _collector.WorkerRestarts;

    /// <param name="librdkafka">Extra client properties, as a user's [inputs.kafka.librdkafka] table passes them.</param>
    public static async Task<PluginUnderTest> StartAsync(string bootstrapServers, int maxConcurrentRequests, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? librdkafka = null, LagSecondsMode lagSeconds = LagSecondsMode.History,
        IReadOnlyList<string>? excludeMetrics = null)
    {
        var config = PluginConfig.ForBrokers(bootstrapServers.Split(',')) with
        {
            MaxConcurrentRequests = maxConcurrentRequests,
            Timeout = timeout,
            LogLevel = LogLevel.Warning,
        };
        if (librdkafka is not null)
        {
            config = config with { Librdkafka = librdkafka };
        }
        config = config.With(Options.LagSecondsExact, lagSeconds == LagSecondsMode.Exact);
        IReadOnlyList<string> excluded = [.. excludeMetrics ?? [], .. lagSeconds == LagSecondsMode.Off ? ["consumergroup_lag_seconds"] : Array.Empty<string>()];
        config = config.With(Options.ExcludeMetrics, excluded);

        var logging = PluginLogging.Create(config.LogLevel);
        var logger = logging.CreateLogger("kafka-execd-input");
        var client = LibrdkafkaSettings.Build(config);
        var settings = ReaderSettings.For(config, client);
        // The families and the gather plan as the plugin's defaults make them: opt-in families off, topic configs on.
        var families = MetricFamilies.For(config);
        // As Cli/PluginRunner: no latest-offset rings without lag seconds, no commit windows without lag status.
        var history = new GatherHistory(TimeProvider.System)
        {
            SamplesLatestOffsets = MetricFamilies.SampleLatestOffsets(families),
            LagStatus = MetricFamilies.LagStatusOf(families, config),
        };
        var plan = GatherPlan.For(config, families, TimeProvider.System, logger);
        var collector = new Collector(WorkerLaunch.ForThisExecutable(client.Environment), settings, logger, history, plan);
        await collector.StartAsync(CancellationToken.None).ConfigureAwait(false);
        // As Cli/PluginRunner: the block goes to the output while it is built.
        var block = new BlockStream();
        var cycle = new GatherCycle(collector, new MetricBuilder(logger, families), config.Timeout, logger, TimeProvider.System, output: block);
        return new PluginUnderTest(logging, collector, cycle, block);
    }

    /// <summary>One gather through the plugin; what it cost is measured around it.</summary>
    public async Task<GatherSample> GatherAsync(ClusterClient cluster, Stream output)
    {
        cluster.ResetCounters();
        var parentPid = Environment.ProcessId;
        var workerPid = _collector.WorkerProcessId ?? throw new InvalidOperationException("no worker running");
        var restartsBefore = _collector.WorkerRestarts;
        var parentCpu = ProcStats.CpuSeconds(parentPid);
        var workerCpu = ProcStats.CpuSeconds(workerPid);
        var clusterCpu = ProcStats.CpuSeconds(cluster.ProcessId);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var frameBytes = _collector.GatherBytesReceived;
        var watch = Stopwatch.StartNew();

        _block.Begin(output);
        var complete = await _cycle.RunAsync(CancellationToken.None).ConfigureAwait(false);
        await _block.WriteAsync(_cycle.Output).ConfigureAwait(false);
        await _block.FlushAsync().ConfigureAwait(false);

        watch.Stop();
        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        // As the execd loop does once the block is on stdout; timed apart, since it is not gather time.
        var release = Stopwatch.StartNew();
        _cycle.OutputWritten();
        release.Stop();
        var sample = new GatherSample(
            WallSeconds: watch.Elapsed.TotalSeconds,
            ParentCpuSeconds: ProcStats.CpuSeconds(parentPid) - parentCpu,
            WorkerCpuSeconds: _collector.WorkerRestarts == restartsBefore ? ProcStats.CpuSeconds(workerPid) - workerCpu : double.NaN,
            ClusterCpuSeconds: ProcStats.CpuSeconds(cluster.ProcessId) - clusterCpu,
            ParentAllocatedBytes: allocatedAfter - allocated,
            Gen0Collections: GC.CollectionCount(0) - gen0,
            Gen2Collections: GC.CollectionCount(2) - gen2,
            Lines: _block.Lines,
            Bytes: checked((int)_block.Bytes),
            Complete: complete,
            CollectorLine: LastLine(_cycle.Output.Span),
            Requests: cluster.ReadCounters(),
            WorkerFrameBytes: _collector.GatherBytesReceived - frameBytes,
            ReleasePauseSeconds: release.Elapsed.TotalSeconds);
        return sample;
    }

    public async ValueTask DisposeAsync()
    {
        await _collector.DisposeAsync().ConfigureAwait(false);
        _logging.Dispose();
    }

    /// <summary>The kafka_collector self-metric, always the last line of a gather.</summary>
    private static string LastLine(ReadOnlySpan<byte> output)
    {
        var trimmed = output.TrimEnd((byte)'\n');
        return System.Text.Encoding.UTF8.GetString(trimmed[(trimmed.LastIndexOf((byte)'\n') + 1)..]);
    }
}

/// <summary>What one gather cost and produced.</summary>
internal sealed record GatherSample(
    double WallSeconds,
    double ParentCpuSeconds,
    double WorkerCpuSeconds,
    double ClusterCpuSeconds,
    long ParentAllocatedBytes,
    int Gen0Collections,
    int Gen2Collections,
    int Lines,
    int Bytes,
    bool Complete,
    string CollectorLine,
    ClusterCounterSnapshot Requests,
    long WorkerFrameBytes = 0,
    double ReleasePauseSeconds = 0);

/// <summary>Lag in seconds as the plugin under test runs it: off, from the history (the default), or exact.</summary>
internal enum LagSecondsMode
{
    Off,
    History,
    Exact,
}
