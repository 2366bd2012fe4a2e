using System.Globalization;
using System.Text.Json;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaTestCluster;

namespace KafkaExecdInput.Benchmarks.LagSeconds;

/// <summary>
/// <c>lagseconds</c>: what lag in seconds costs (issue 10, part 4). Per size, three fresh processes one after
/// another, each with its own cluster: lag seconds off, from the history (the default), and exact. Off and
/// history run the same gathers with every latest offset moving between them (so the rings fill, 60 points per
/// partition), against the usual cluster where nearly every group-partition lags; their peak RSS and median
/// compare the history's cost in one run. Exact runs with only <c>--lagging</c> of the group-partitions behind
/// and reports its Fetch requests and bytes per gather.
/// </summary>
internal static class LagSecondsRunner
{
    public const string Mode = "lagseconds";

    public const string OneMode = "lagseconds-one";

    private const int Warmups = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var sizes = new List<BenchSize> { BenchSize.L };
        var gathers = 100;
        var exactGathers = 5;
        var lagging = 0.1;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--sizes": sizes = [.. args[++i].Split(',').Select(BenchSize.Parse)]; break;
                case "--gathers": gathers = int.Parse(args[++i], BenchJson.Culture); break;
                case "--exact-gathers": exactGathers = int.Parse(args[++i], BenchJson.Culture); break;
                case "--lagging": lagging = double.Parse(args[++i], BenchJson.Culture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        var results = new List<VariantResult>();
        foreach (var size in sizes)
        {
            foreach (var (mode, count) in new[] { (LagSecondsMode.Off, gathers), (LagSecondsMode.History, gathers), (LagSecondsMode.Exact, exactGathers) })
            {
                try
                {
                    var result = await ChildProcess.RunForResultAsync<VariantResult>($"lagseconds-{size.Name}-{mode}",
                        path => [OneMode, size.Name, mode.ToString(), count.ToString(BenchJson.Culture), lagging.ToString(BenchJson.Culture), path]).ConfigureAwait(false);
                    results.Add(result);
                    GatherRunner.Log(Row(result)); // at once: a later variant that fails must not cost this one
                }
                catch (InvalidOperationException e)
                {
                    GatherRunner.Log($"[{size.Name} {mode}] no result: {e.Message}");
                }
            }
        }

        Console.WriteLine($"lag seconds benchmark, {DateTimeOffset.UtcNow:u}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| size | lag seconds | gathers | median / p95 s | CPU parent / worker s | parent alloc MB/gather | peak RSS parent / worker MB | lagging group-partitions | values written (exact) | Fetch req/gather | bytes to client/gather MB | lines |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(Row(r));
        }
        return 0;
    }

    private static string Row(VariantResult r) => string.Create(CultureInfo.InvariantCulture,
                $"| {r.Size} | {r.Mode} | {r.Gathers} | {r.MedianSeconds:F3} / {r.P95Seconds:F3} | {r.ParentCpuSeconds:F2} / {r.WorkerCpuSeconds:F2} | {r.ParentAllocatedMb:F1} | {r.ParentPeakRssMb:F0} / {r.WorkerPeakRssMb:F0} | {(r.Lagging < 0 ? "all but ~1/5000" : r.Lagging.ToString("N0", CultureInfo.InvariantCulture))} | {r.ValuesWritten:N0} ({r.ExactValues:N0}) | {r.FetchRequests:F1} | {r.BytesOutMb:F2} | {r.Lines:N0} |");

    public static async Task<int> RunOneAsync(IReadOnlyList<string> args)
    {
        var size = BenchSize.Parse(args[0]);
        var mode = Enum.Parse<LagSecondsMode>(args[1]);
        var gathers = int.Parse(args[2], BenchJson.Culture);
        var laggingShare = double.Parse(args[3], BenchJson.Culture);
        using var cluster = ClusterClient.Start(size);
        var lagging = mode == LagSecondsMode.Exact ? cluster.CatchUp(laggingShare) : -1;
        var self = Environment.ProcessId;
        ProcStats.ResetPeak(self);
        var samples = new List<GatherSample>();
        long valuesWritten = 0, exactValues = 0;
        long workerPeak = 0;
        await using (var plugin = await PluginUnderTest.StartAsync(cluster.BootstrapServers, Configuration.Options.MaxConcurrentRequests.Default,
            TimeSpan.FromSeconds(60), lagSeconds: mode).ConfigureAwait(false))
        {
            using var output = new MemoryStream();
            for (var i = 0; i < Warmups + gathers; i++)
            {
                if (mode != LagSecondsMode.Exact)
                {
                    cluster.Advance();
                }
                output.SetLength(0);
                var sample = await plugin.GatherAsync(cluster, output).ConfigureAwait(false);
                if (i >= Warmups)
                {
                    samples.Add(sample);
                }
                if (i == Warmups + gathers - 1)
                {
                    (valuesWritten, exactValues) = CountValues(output.ToArray());
                }
                GatherRunner.Log($"[{size.Name} {mode}] gather {i + 1}: {sample.WallSeconds:F3} s, Fetch {sample.Requests.Of(ApiKey.Fetch)}, {sample.Lines:N0} lines{(sample.Complete ? "" : " PARTIAL " + sample.CollectorLine)}");
            }
            workerPeak = plugin.WorkerProcessId is { } workerPid ? ProcStats.Memory(workerPid).Peak : 0;
        }
        var (_, parentPeak) = ProcStats.Memory(self);
        var walls = samples.Select(s => s.WallSeconds).Order().ToArray();
        var result = new VariantResult(
            size.Name, mode.ToString(), gathers,
            Stats.Median(walls), walls[(int)Math.Min(walls.Length - 1, Math.Ceiling(walls.Length * 0.95) - 1)],
            Stats.Median(samples.Select(s => s.ParentCpuSeconds)), Stats.Median(samples.Select(s => s.WorkerCpuSeconds)),
            samples.Average(s => s.ParentAllocatedBytes) / 1e6,
            parentPeak / 1e6, workerPeak / 1e6,
            lagging, valuesWritten, exactValues,
            samples.Average(s => (double)s.Requests.Of(ApiKey.Fetch)),
            samples.Average(s => (double)s.Requests.BytesOut) / 1e6,
            samples[^1].Lines);
        await File.WriteAllTextAsync(args[4], JsonSerializer.Serialize(result, BenchJson.Options)).ConfigureAwait(false);
        return 0;
    }

    private static (long Values, long Exact) CountValues(byte[] output)
    {
        long values = 0, exact = 0;
        foreach (var line in System.Text.Encoding.UTF8.GetString(output).Split('\n'))
        {
            if (line.StartsWith("kafka_consumergroup_lag,", StringComparison.Ordinal) && line.Contains(",seconds_source=", StringComparison.Ordinal))
            {
                values++;
                exact += line.Contains("seconds_source=1i", StringComparison.Ordinal) ? 1 : 0;
            }
        }
        return (values, exact);
    }

    private sealed record VariantResult(
        string Size, string Mode, int Gathers, double MedianSeconds, double P95Seconds, double ParentCpuSeconds, double WorkerCpuSeconds,
        double ParentAllocatedMb, double ParentPeakRssMb, double WorkerPeakRssMb, int Lagging, long ValuesWritten, long ExactValues,
        double FetchRequests, double BytesOutMb, int Lines);
}
