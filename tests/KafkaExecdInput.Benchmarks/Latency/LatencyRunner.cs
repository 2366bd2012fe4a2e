using System.Text.Json;
using KafkaExecdInput.Benchmarks.Gather;

namespace KafkaExecdInput.Benchmarks.Latency;

/// <summary>
/// The <c>latency</c> command: per size, one test cluster (child process) whose network round trip is set in
/// turn to each value; at each, the plugin as shipped, the plugin with Nagle's algorithm off, and the
/// kafka_exporter replay gather against the same cluster, side by side.
/// </summary>
internal static class LatencyRunner
{
    public const string OneSizeMode = "latency-one";

    /// <summary>The one librdkafka property whose effect issue 11 asks about (librdkafka's default: false, Nagle on).</summary>
    public static readonly IReadOnlyDictionary<string, string> NagleOff = new Dictionary<string, string> { ["socket.nagle.disable"] = "true" };

    public const string AsShipped = "as shipped";

    public const string WithNagleOff = "socket.nagle.disable=true";

    public static async Task<int> RunAsync(LatencyOptions options, IReadOnlyList<string> args)
    {
        var started = DateTimeOffset.UtcNow;
        var environment = BenchEnvironment.Read();
        GatherRunner.Log($"latency benchmark: sizes {string.Join(",", options.Sizes.Select(s => s.Name))}, round trips {string.Join(",", options.RoundTripsMs)} ms, " +
            $"{options.Gathers} gathers each, load {environment.LoadBefore}");
        var sizes = new List<LatencySize>();
        foreach (var size in options.Sizes)
        {
            sizes.Add(await RunSizeInFreshProcessAsync(size, args).ConfigureAwait(false));
        }

        var run = new LatencyRun(started, environment with { LoadAfter = BenchEnvironment.LoadAverage() }, options.MaxConcurrentRequests, sizes);
        Console.Out.WriteLine(LatencyReport.Markdown(run));
        var path = options.OutputPath ?? Path.Combine("artifacts", "bench", $"latency-{started:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(run, BenchJson.Indented)).ConfigureAwait(false);
        Console.Out.WriteLine($"JSON: {Path.GetFullPath(path)}");

        var partial = sizes.SelectMany(s => s.Points).SelectMany(p => p.Plugin).Count(v => v.Samples.Any(x => !x.Complete));
        if (partial > 0)
        {
            Console.Error.WriteLine($"E! benchmark check failed: {partial} plugin variant(s) had a partial measured gather");
        }

        return partial == 0 ? 0 : 1;
    }

    /// <summary>A fresh process per size, as in <c>gather</c>: each plugin only ever sees that cluster.</summary>
    private static async Task<LatencySize> RunSizeInFreshProcessAsync(BenchSize size, IReadOnlyList<string> args)
    {
        return await ChildProcess.RunForResultAsync<LatencySize>(
            $"latency-{size.Name}", resultPath => [OneSizeMode, size.Name, resultPath, .. args]).ConfigureAwait(false);
    }

    public static async Task<int> RunOneSizeAsync(IReadOnlyList<string> args)
    {
        var size = BenchSize.Parse(args[0]);
        var result = await RunSizeAsync(size, LatencyOptions.Parse([.. args.Skip(2)])).ConfigureAwait(false);
        await File.WriteAllTextAsync(args[1], JsonSerializer.Serialize(result, BenchJson.Options)).ConfigureAwait(false);
        return 0;
    }

    private static async Task<LatencySize> RunSizeAsync(BenchSize size, LatencyOptions options)
    {
        GatherRunner.Log($"[{size.Name}] building the cluster: {size.Topics:N0} topics x {size.PartitionsPerTopic} partitions, {size.Groups:N0} groups");
        using var cluster = ClusterClient.Start(size);
        GatherRunner.Log($"[{size.Name}] cluster ready in {cluster.SetupSeconds:F1} s ({cluster.Commits:N0} committed offsets)");

        var variants = new List<(string Name, IReadOnlyDictionary<string, string>? Librdkafka, int MaxConcurrentRequests)>
        {
            (AsShipped, null, options.MaxConcurrentRequests),
            (WithNagleOff, NagleOff, options.MaxConcurrentRequests),
        };
        if (options.ExtraConcurrency is { } extra)
        {
            variants.Add(($"{WithNagleOff}, max_concurrent_requests={extra}", NagleOff, extra));
        }

        var plugins = new List<PluginUnderTest>();
        var warmups = new List<List<double>>();
        var points = new List<LatencyPoint>();
        try
        {
            foreach (var (name, librdkafka, maxConcurrentRequests) in variants)
            {
                var plugin = await PluginUnderTest.StartAsync(cluster.BootstrapServers, maxConcurrentRequests, options.Timeout, librdkafka).ConfigureAwait(false);
                plugins.Add(plugin);
                var times = new List<double>();
                for (var i = 0; i < options.Warmups; i++)
                {
                    times.Add((await plugin.GatherAsync(cluster, Stream.Null).ConfigureAwait(false)).WallSeconds);
                }

                warmups.Add(times);
                GatherRunner.Log($"[{size.Name}] {name}: warm-up gathers at 0 ms: {string.Join(", ", times.Select(t => t.ToString("F2", BenchJson.Culture)))} s");
            }

            foreach (var rttMs in options.RoundTripsMs)
            {
                cluster.SetRoundTrip(TimeSpan.FromMilliseconds(rttMs));
                var samples = plugins.Select(_ => new List<GatherSample>()).ToList();
                // One unmeasured gather each at the new round trip, then rounds of one gather per variant (interleaved,
                // so load from elsewhere on the machine spreads over both).
                foreach (var plugin in plugins)
                {
                    await plugin.GatherAsync(cluster, Stream.Null).ConfigureAwait(false);
                }

                for (var round = 0; round < options.Gathers; round++)
                {
                    for (var v = 0; v < plugins.Count; v++)
                    {
                        var sample = await plugins[v].GatherAsync(cluster, Stream.Null).ConfigureAwait(false);
                        samples[v].Add(sample);
                        GatherRunner.Log($"[{size.Name}] rtt {rttMs} ms, {variants[v].Name}: {sample.WallSeconds:F3} s, {sample.Requests.Requests.Values.Sum():N0} requests, " +
                            $"peak in flight {sample.Requests.PeakInFlight}{(sample.Complete ? "" : " PARTIAL")}");
                    }
                }

                IReadOnlyList<BaselineSummary> baseline = options.Baseline
                    ? GatherRunner.RunBaseline(size, cluster, options.BudgetFor(size), nagleDisabled: true)
                    : [];
                points.Add(new LatencyPoint(rttMs, [.. variants.Select((v, i) => new VariantSamples(v.Name, samples[i]))], baseline));
            }
        }
        finally
        {
            foreach (var plugin in plugins)
            {
                await plugin.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new LatencySize(size.Name, size.Topics, size.Partitions, size.Groups, cluster.Commits, warmups, points);
    }
}

internal sealed record LatencyRun(DateTimeOffset Started, BenchEnvironment Environment, int MaxConcurrentRequests, IReadOnlyList<LatencySize> Sizes);

internal sealed record LatencySize(string Size, int Topics, int Partitions, int Groups, int Commits,
    IReadOnlyList<List<double>> WarmupWallSeconds, IReadOnlyList<LatencyPoint> Points);

internal sealed record LatencyPoint(double RoundTripMs, IReadOnlyList<VariantSamples> Plugin, IReadOnlyList<BaselineSummary> Baselines);

internal sealed record VariantSamples(string Name, IReadOnlyList<GatherSample> Samples)
{
    public double MedianWallSeconds => Stats.Median(Samples.Select(s => s.WallSeconds));

    public double P95WallSeconds => Stats.NearestRank(Samples.Select(s => s.WallSeconds), 0.95);

    public double RequestsPerGather(string api) => Stats.Median(Samples.Select(s => (double)s.Requests.Requests.GetValueOrDefault(api)));

    public double AllRequestsPerGather => Stats.Median(Samples.Select(s => (double)s.Requests.Requests.Values.Sum()));

    /// <summary>Median over the gathers of each gather's peak (cluster, busiest broker, busiest connection).</summary>
    public (double Cluster, double Broker, double Connection) PeakInFlight => (
        Stats.Median(Samples.Select(s => (double)(s.Requests.PeakInFlight?.Cluster ?? 0))),
        Stats.Median(Samples.Select(s => (double)(s.Requests.PeakInFlight?.Broker ?? 0))),
        Stats.Median(Samples.Select(s => (double)(s.Requests.PeakInFlight?.Connection ?? 0))));
}
