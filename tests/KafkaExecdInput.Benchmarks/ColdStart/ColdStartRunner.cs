using System.Diagnostics;
using System.Globalization;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaExecdInput.Benchmarks.Published;

namespace KafkaExecdInput.Benchmarks.ColdStart;

/// <summary>
/// The <c>coldstart</c> command: how long a freshly started plugin takes for its first gathers. It runs a published
/// <c>kafka-execd-input</c> executable as Telegraf does (execd, signal = STDIN) against a test cluster of one size,
/// sends one newline per gather and reads each gather's own <c>kafka_collector gather_duration_seconds</c>; the
/// process is started anew for every repetition. Runtime knobs (DOTNET_TieredPGO, DOTNET_TieredCompilation, ...)
/// are taken from this command's environment, which the plugin and its worker inherit.
/// </summary>
internal static class ColdStartRunner
{
    public const string Mode = "coldstart";

    /// <summary>The JIT settings worth naming in the table (the SDK sets other DOTNET_ variables of no interest here).</summary>
    private static readonly string[] RuntimeKnobs = ["DOTNET_Tiered", "DOTNET_TC_", "DOTNET_ReadyToRun", "DOTNET_OSR"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var executable = Path.GetFullPath(args[0]);
        var sizes = Option(args, "--sizes", "M,L").Split(',').Select(BenchSize.Parse).ToList();
        var gathers = int.Parse(Option(args, "--gathers", "6"), CultureInfo.InvariantCulture);
        var starts = int.Parse(Option(args, "--starts", "3"), CultureInfo.InvariantCulture);
        var label = Option(args, "--label", Path.GetFileName(Path.GetDirectoryName(executable)) ?? executable);
        // Telegraf's first request comes at the next interval boundary after it starts the plugin (its aligned
        // ticker): on average half an interval later. 0 sends it at once, as Telegraf's --test does.
        var firstRequestAfter = TimeSpan.FromSeconds(double.Parse(Option(args, "--first-request-after", "0"), CultureInfo.InvariantCulture));
        var warmUp = Option(args, "--warm-up", "on") == "on";
        label += warmUp ? "" : ", warm_up off";
        label += firstRequestAfter > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $", 1st request at {firstRequestAfter.TotalSeconds:0.#} s") : "";
        var knobs = string.Join(' ', Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => RuntimeKnobs.Any(knob => k.StartsWith(knob, StringComparison.Ordinal))).Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}"));

        Console.Out.WriteLine($"| build | runtime knobs | size | process start → first gather written | first gather | 2nd | 3rd | steady (median of the rest) |");
        Console.Out.WriteLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            using var cluster = ClusterClient.Start(size);
            var config = await PublishedPlugin.WriteConfigAsync(cluster, Mode, warmUp).ConfigureAwait(false);
            try
            {
                // The test cluster is a fresh .NET process too: its first requests run its own cold code. One
                // unmeasured start warms it, so the rows below measure the plugin's cold start, not the cluster's.
                await OneProcessAsync(executable, config, gathers: 1, TimeSpan.Zero).ConfigureAwait(false);
                for (var start = 0; start < starts; start++)
                {
                    var (firstWritten, durations) = await OneProcessAsync(executable, config, gathers, firstRequestAfter).ConfigureAwait(false);
                    GatherRunner.Log($"[{size.Name}] {label} start {start + 1}: first gather written {firstWritten:F2} s after the process started; gathers {string.Join(", ", durations.Select(d => d.ToString("F2", CultureInfo.InvariantCulture)))} s");
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {label} | {(knobs.Length == 0 ? "defaults" : knobs)} | {size.Name} | {firstWritten:F2} s | {durations[0]:F2} s | {durations.ElementAtOrDefault(1):F2} s | {durations.ElementAtOrDefault(2):F2} s | {Stats.Median(durations.Skip(3)):F2} s |"));
                }
            }
            finally
            {
                File.Delete(config);
            }
        }

        return 0;
    }

    private static async Task<(double FirstWritten, List<double> Durations)> OneProcessAsync(string executable, string config, int gathers, TimeSpan firstRequestAfter)
    {
        var watch = Stopwatch.StartNew();
        using var plugin = PublishedPlugin.Start(executable, config);
        var durations = new List<double>();
        var firstWritten = double.NaN;
        await Task.Delay(firstRequestAfter).ConfigureAwait(false);
        for (var i = 0; i < gathers; i++)
        {
            durations.Add(await plugin.RequestGatherAsync().ConfigureAwait(false));
            if (i == 0)
            {
                firstWritten = watch.Elapsed.TotalSeconds;
            }
        }

        return (firstWritten, durations);
    }

    internal static string Option(IReadOnlyList<string> args, string name, string fallback)
    {
        for (var i = 1; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return fallback;
    }
}
