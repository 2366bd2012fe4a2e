using KafkaExecdInput.Benchmarks.Gather;
using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.Benchmarks.Latency;

/// <summary>Command-line options of the <c>latency</c> command; see README.md.</summary>
internal sealed record LatencyOptions
{
    public IReadOnlyList<BenchSize> Sizes { get; init; } = [BenchSize.M, BenchSize.L];

    /// <summary>Network round trips, in milliseconds: loopback, one zone, across zones, across regions (issue 11).</summary>
    public IReadOnlyList<double> RoundTripsMs { get; init; } = [0, 1, 5, 20];

    public int Gathers { get; init; } = 5;

    /// <summary>Gathers of each fresh plugin at round trip 0 before anything is measured (the JIT tiers its code up).</summary>
    public int Warmups { get; init; } = 3;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    public int MaxConcurrentRequests { get; init; } = Options.MaxConcurrentRequests.Default;

    /// <summary>Per baseline pass, per round trip; the rest is extrapolated, as in <c>gather</c>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> BaselineBudget { get; init; } = new Dictionary<string, TimeSpan>
    {
        ["S"] = TimeSpan.FromSeconds(10),
        ["M"] = TimeSpan.FromSeconds(10),
        ["L"] = TimeSpan.FromSeconds(10),
    };

    public bool Baseline { get; init; } = true;

    /// <summary>max_concurrent_requests of a third plugin (Nagle off too): how far more concurrency takes a high round trip. null = none.</summary>
    public int? ExtraConcurrency { get; init; } = 128;

    public string? OutputPath { get; init; }

    public static LatencyOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LatencyOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = [.. Value().Split(',').Select(BenchSize.Parse)] },
                "--rtts" => options with { RoundTripsMs = [.. Value().Split(',').Select(v => double.Parse(v, BenchJson.Culture))] },
                "--gathers" => options with { Gathers = Math.Max(1, int.Parse(Value(), BenchJson.Culture)) },
                "--warmups" => options with { Warmups = Math.Max(0, int.Parse(Value(), BenchJson.Culture)) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(double.Parse(Value(), BenchJson.Culture)) },
                "--max-concurrent-requests" => options with { MaxConcurrentRequests = int.Parse(Value(), BenchJson.Culture) },
                "--no-baseline" => options with { Baseline = false },
                "--extra-concurrency" => options with { ExtraConcurrency = Value() is var v && v == "none" ? null : int.Parse(v, BenchJson.Culture) },
                "--baseline-budget" => options with { BaselineBudget = GatherOptions.ParseBudgets(Value(), options.BaselineBudget) },
                "--out" => options with { OutputPath = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }


    public TimeSpan BudgetFor(BenchSize size) => BaselineBudget.GetValueOrDefault(size.Name, TimeSpan.FromSeconds(10));
}
