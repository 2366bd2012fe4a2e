using System.Diagnostics;
using System.Text.Json;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// The <c>gather</c> command: per size, a test cluster in a child process, the plugin's real pipeline in this
/// process (with its real worker process), and the kafka_exporter baseline in another child process.
/// </summary>
internal static class GatherRunner
{
    /// <summary>How long the plugin sits idle after its last gather before idle RSS is read (a 10 s interval is typical).</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);

    /// <summary>The partial-output demonstration cuts the gather at this share of the measured median.</summary>
    private const double PartialTimeoutShare = 0.3;

    /// <summary>Prints the markdown of an earlier run from its JSON file (the checks are evaluated again).</summary>
    public static async Task<int> ReportAsync(string path)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path).ConfigureAwait(false));
        var run = document.RootElement.GetProperty("run").Deserialize<GatherRun>(BenchJson.Options)
            ?? throw new InvalidOperationException($"{path} holds no run");
        Console.Out.WriteLine(GatherReport.Markdown(run, TargetChecks.Evaluate(run)));
        return 0;
    }

    /// <summary>The child mode that measures one size in a fresh process (see <see cref="RunAsync"/>).</summary>
    public const string OneSizeMode = "gather-one";

    public static async Task<int> RunAsync(GatherOptions options, IReadOnlyList<string> args)
    {
        var started = DateTimeOffset.UtcNow;
        var environment = BenchEnvironment.Read();
        Log($"gather benchmark: sizes {string.Join(",", options.Sizes.Select(s => s.Name))}, {options.Gathers} gathers after {options.Warmups} warm-up(s), load {environment.LoadBefore}");

        var partialSize = options.PartialSize ?? options.Sizes[^1].Name;
        var results = new List<SizeResult>();
        foreach (var size in options.Sizes)
        {
            results.Add(await RunSizeInFreshProcessAsync(size, size.Name == partialSize, args).ConfigureAwait(false));
        }

        var run = new GatherRun(started, environment with { LoadAfter = BenchEnvironment.LoadAverage() }, options.MaxConcurrentRequests, results);
        var checks = TargetChecks.Evaluate(run);
        var markdown = GatherReport.Markdown(run, checks);
        Console.Out.WriteLine(markdown);

        var path = options.OutputPath ?? Path.Combine("artifacts", "bench", $"gather-{started:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { run, checks }, BenchJson.Indented)).ConfigureAwait(false);
        Console.Out.WriteLine($"JSON: {Path.GetFullPath(path)}");

        // Only structural failures fail the command (a smoke check must not flake on a busy machine): a partial
        // measured gather, or a request count that grows with partitions.
        var structural = checks.Where(c => c.Structural && c.Met == false).ToList();
        foreach (var failed in structural)
        {
            Console.Error.WriteLine($"E! benchmark check failed: {failed.Target}: {failed.Actual}");
        }

        return structural.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Each size is measured by a fresh process, as a plugin that only ever sees that cluster: the parent's RSS,
    /// heap and allocations then belong to that size alone, not to the sizes measured before it.
    /// </summary>
    private static async Task<SizeResult> RunSizeInFreshProcessAsync(BenchSize size, bool runPartial, IReadOnlyList<string> args)
    {
        return await ChildProcess.RunForResultAsync<SizeResult>(
            $"bench-{size.Name}", resultPath => [OneSizeMode, size.Name, runPartial ? "partial" : "-", resultPath, .. args]).ConfigureAwait(false);
    }

    /// <summary>Child side of <see cref="RunSizeInFreshProcessAsync"/>.</summary>
    public static async Task<int> RunOneSizeAsync(IReadOnlyList<string> args)
    {
        var size = BenchSize.Parse(args[0]);
        var result = await RunSizeAsync(size, GatherOptions.Parse([.. args.Skip(3)]), runPartial: args[1] == "partial").ConfigureAwait(false);
        await File.WriteAllTextAsync(args[2], JsonSerializer.Serialize(result, BenchJson.Options)).ConfigureAwait(false);
        return 0;
    }

    private static async Task<SizeResult> RunSizeAsync(BenchSize size, GatherOptions options, bool runPartial)
    {
        Log($"[{size.Name}] building the cluster: {size.Topics:N0} topics x {size.PartitionsPerTopic} partitions, {size.Groups:N0} groups");
        using var cluster = ClusterClient.Start(size);
        Log($"[{size.Name}] cluster ready in {cluster.SetupSeconds:F1} s ({cluster.Commits:N0} committed offsets)");

        var self = Environment.ProcessId;
        ProcStats.ResetPeak(self);
        var samples = new List<GatherSample>();
        var warmups = new List<double>();
        MemoryReading memory;
        await using (var plugin = await PluginUnderTest.StartAsync(cluster.BootstrapServers, options.MaxConcurrentRequests, options.Timeout, excludeMetrics: options.ExcludeMetrics).ConfigureAwait(false))
        {
            for (var i = 0; i < options.Warmups; i++)
            {
                var warm = await plugin.GatherAsync(cluster, Stream.Null).ConfigureAwait(false);
                warmups.Add(warm.WallSeconds);
                Log($"[{size.Name}] warm-up {i + 1}: {warm.WallSeconds:F3} s, {warm.Lines:N0} lines{(warm.Complete ? "" : " PARTIAL")}");
            }

            for (var i = 0; i < options.Gathers; i++)
            {
                var sample = await plugin.GatherAsync(cluster, Stream.Null).ConfigureAwait(false);
                samples.Add(sample);
                Log($"[{size.Name}] gather {i + 1}: {sample.WallSeconds:F3} s wall, CPU parent {sample.ParentCpuSeconds:F2} s worker {sample.WorkerCpuSeconds:F2} s, " +
                    $"{sample.ParentAllocatedBytes / 1e6:F1} MB allocated, {sample.WorkerFrameBytes / 1e6:F2} MB of frames, {sample.Lines:N0} lines{(sample.Complete ? "" : " PARTIAL")}");
            }

            var workerPid = plugin.WorkerProcessId ?? throw new InvalidOperationException("worker gone");
            var (_, parentPeak) = ProcStats.Memory(self);
            var (_, workerPeak) = ProcStats.Memory(workerPid);
            await Task.Delay(IdleWait).ConfigureAwait(false);
            var (parentIdle, _) = ProcStats.Memory(self);
            var (workerIdle, _) = ProcStats.Memory(workerPid);
            var gc = GC.GetGCMemoryInfo();
            // Diagnostic only, after every reading above: what of the parent's heap is live rather than not yet collected.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var live = GC.GetGCMemoryInfo().HeapSizeBytes;
            memory = new MemoryReading(parentPeak, workerPeak, parentIdle, workerIdle, gc.HeapSizeBytes, gc.TotalCommittedBytes, live);
            Log($"[{size.Name}] RSS peak parent {parentPeak / 1e6:F0} MB, worker {workerPeak / 1e6:F0} MB; idle parent {parentIdle / 1e6:F0} MB, worker {workerIdle / 1e6:F0} MB; " +
                $"parent GC heap {gc.HeapSizeBytes / 1e6:F0} MB, committed {gc.TotalCommittedBytes / 1e6:F0} MB, live after a full GC {live / 1e6:F0} MB");
        }

        var median = Stats.Median(samples.Select(s => s.WallSeconds));
        PartialDemo? partial = runPartial ? await RunPartialAsync(size, cluster, options, median).ConfigureAwait(false) : null;

        var curve = options.CurveSizes.Contains(size.Name)
            ? await RunCurveAsync(size, cluster, options).ConfigureAwait(false)
            : [];

        IReadOnlyList<BaselineSummary> baseline = options.Baseline ? RunBaseline(size, cluster, options.BudgetFor(size)) : [];
        return new SizeResult(size.Name, size.Topics, size.Partitions, size.Groups, cluster.Commits, cluster.SetupSeconds,
            warmups, samples, memory, partial, curve, baseline);
    }

    private static async Task<PartialDemo> RunPartialAsync(BenchSize size, ClusterClient cluster, GatherOptions options, double medianSeconds)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(0.05, medianSeconds * PartialTimeoutShare));
        await using var plugin = await PluginUnderTest.StartAsync(cluster.BootstrapServers, options.MaxConcurrentRequests, timeout, excludeMetrics: options.ExcludeMetrics).ConfigureAwait(false);
        var sample = await plugin.GatherAsync(cluster, Stream.Null).ConfigureAwait(false);
        Log($"[{size.Name}] timeout {timeout.TotalSeconds:F3} s: {sample.WallSeconds:F3} s wall, {sample.Lines:N0} lines, complete={sample.Complete}: {sample.CollectorLine}");
        return new PartialDemo(timeout.TotalSeconds, sample.WallSeconds, sample.Lines, sample.Bytes, !sample.Complete, sample.CollectorLine);
    }

    /// <summary>
    /// One plugin per max_concurrent_requests value, all started (and warmed up) first; then rounds of one gather
    /// each, value after value, so that a burst of load from elsewhere on the machine spreads over all values
    /// instead of skewing one.
    /// </summary>
    private static async Task<List<CurvePoint>> RunCurveAsync(BenchSize size, ClusterClient cluster, GatherOptions options)
    {
        var plugins = new List<(int Value, PluginUnderTest Plugin, List<GatherSample> Samples)>();
        try
        {
            foreach (var value in options.CurveValues)
            {
                var plugin = await PluginUnderTest.StartAsync(cluster.BootstrapServers, value, options.Timeout).ConfigureAwait(false);
                plugins.Add((value, plugin, []));
                await plugin.GatherAsync(cluster, Stream.Null).ConfigureAwait(false);
            }

            for (var round = 0; round < options.CurveGathers; round++)
            {
                foreach (var (_, plugin, samples) in plugins)
                {
                    samples.Add(await plugin.GatherAsync(cluster, Stream.Null).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (var (_, plugin, _) in plugins)
            {
                await plugin.DisposeAsync().ConfigureAwait(false);
            }
        }

        var points = plugins.Select(p => new CurvePoint(p.Value,
            Stats.Median(p.Samples.Select(s => s.WallSeconds)),
            Stats.Median(p.Samples.Select(s => s.WorkerCpuSeconds)),
            p.Samples.All(s => s.Complete))).ToList();
        foreach (var point in points)
        {
            Log($"[{size.Name}] max_concurrent_requests={point.MaxConcurrentRequests}: median {point.MedianWallSeconds:F3} s over {options.CurveGathers} gathers");
        }

        return points;
    }

    internal static IReadOnlyList<BaselineSummary> RunBaseline(BenchSize size, ClusterClient cluster, TimeSpan passBudget, bool nagleDisabled = false)
    {
        Log($"[{size.Name}] baseline (kafka_exporter pattern), at most {passBudget.TotalSeconds:F0} s per pass before extrapolating");
        using var child = ChildProcess.Start(ExporterBaseline.Mode, cluster.BootstrapServers, passBudget.TotalSeconds.ToString(BenchJson.Culture),
            nagleDisabled ? ExporterBaseline.NagleOff : "-");
        var ready = child.ReadLine();
        if (ready != "READY")
        {
            throw new InvalidOperationException($"baseline said '{ready}'");
        }

        var summaries = new List<BaselineSummary>();
        foreach (var variant in new[] { ExporterBaseline.ShowAll, ExporterBaseline.CommittedOnly })
        {
            cluster.ResetCounters();
            var cpuBefore = ProcStats.CpuSeconds(child.Id);
            var result = JsonSerializer.Deserialize<BaselineResult>(child.Ask(variant), BenchJson.Options)
                ?? throw new InvalidOperationException("no baseline result");
            var cpu = ProcStats.CpuSeconds(child.Id) - cpuBefore;
            var (_, peak) = ProcStats.Memory(child.Id);
            var requests = cluster.ReadCounters();
            Log($"[{size.Name}] baseline {variant}: {result.MeasuredSeconds:F1} s measured, {result.EstimatedSeconds:F1} s for the whole scrape{(result.Extrapolated ? " (extrapolated)" : "")}; " +
                $"topics {result.TopicPass.Done:N0}/{result.TopicPass.Total:N0} partitions in {result.TopicPass.Seconds:F1} s, groups {result.GroupPass.Done:N0}/{result.GroupPass.Total:N0} in {result.GroupPass.Seconds:F1} s");
            summaries.Add(new BaselineSummary(result, requests, cpu, peak));
        }

        return summaries;
    }

    public static void Log(string message)
    {
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
    }
}

internal sealed record GatherRun(DateTimeOffset Started, BenchEnvironment Environment, int MaxConcurrentRequests, IReadOnlyList<SizeResult> Sizes);

internal sealed record SizeResult(
    string Size,
    int Topics,
    int Partitions,
    int Groups,
    int Commits,
    double ClusterSetupSeconds,
    IReadOnlyList<double> WarmupWallSeconds,
    IReadOnlyList<GatherSample> Samples,
    MemoryReading Memory,
    PartialDemo? Partial,
    IReadOnlyList<CurvePoint> Curve,
    IReadOnlyList<BaselineSummary> Baselines)
{
    /// <summary>kafka_exporter's own pattern (offset.show-all = true).</summary>
    public BaselineSummary? Baseline => Baselines.FirstOrDefault(b => b.Result.Variant == ExporterBaseline.ShowAll);

    /// <summary>The same structure with committed-only offset fetches: a lower bound for kafka_exporter.</summary>
    public BaselineSummary? LowerBoundBaseline => Baselines.FirstOrDefault(b => b.Result.Variant == ExporterBaseline.CommittedOnly);

    public double MedianWallSeconds => Stats.Median(Samples.Select(s => s.WallSeconds));

    public double P95WallSeconds => Stats.NearestRank(Samples.Select(s => s.WallSeconds), 0.95);

    /// <summary>Requests of one API per gather: the median over the measured gathers.</summary>
    public double RequestsPerGather(string api) => Stats.Median(Samples.Select(s => (double)s.Requests.Requests.GetValueOrDefault(api)));

    public IEnumerable<string> ApisSeen => Samples.SelectMany(s => s.Requests.Requests.Keys).Distinct().Order(StringComparer.Ordinal);
}

/// <summary>RSS in bytes: peak (VmHWM) over this size's start and gathers, and after <c>IdleWait</c> without a gather.</summary>
/// <param name="ParentGcHeap">Managed heap of the parent after its last gather (GCMemoryInfo.HeapSizeBytes), to tell managed from native memory.</param>
/// <param name="ParentLiveHeap">The parent's heap after a forced full compacting GC (taken after every other reading).</param>
internal sealed record MemoryReading(long ParentPeak, long WorkerPeak, long ParentIdle, long WorkerIdle, long ParentGcHeap, long ParentGcCommitted, long ParentLiveHeap);

internal sealed record PartialDemo(double TimeoutSeconds, double WallSeconds, int Lines, int Bytes, bool Partial, string CollectorLine);

internal sealed record CurvePoint(int MaxConcurrentRequests, double MedianWallSeconds, double MedianWorkerCpuSeconds, bool AllComplete);

internal sealed record BaselineSummary(BaselineResult Result, ClusterCounterSnapshot Requests, double CpuSeconds, long PeakRss);

internal sealed record BenchEnvironment(string Machine, int Cores, string Runtime, string LoadBefore, string? LoadAfter = null)
{
    public static BenchEnvironment Read() => new(
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        LoadAverage());

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Nearest-rank percentile: with fewer than 20 values, p95 is the largest.</summary>
    public static double NearestRank(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(percentile * sorted.Length) - 1)];
    }

    public static double Mean(IEnumerable<double> values)
    {
        var kept = values.Where(v => !double.IsNaN(v)).ToArray();
        return kept.Length == 0 ? double.NaN : kept.Average();
    }
}
