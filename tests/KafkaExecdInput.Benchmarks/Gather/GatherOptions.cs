using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>Command-line options of the <c>gather</c> command; see README.md.</summary>
internal sealed record GatherOptions
{
    public IReadOnlyList<BenchSize> Sizes { get; init; } = BenchSize.All;

    public int Gathers { get; init; } = 7;

    /// <summary>The plugin's code reaches steady state (tiered JIT) over its first few gathers.</summary>
    public int Warmups { get; init; } = 5;

    /// <summary>The gather timeout of the measured gathers: generous, so that a slow gather is measured, not cut.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxConcurrentRequests { get; init; } = Options.MaxConcurrentRequests.Default;

    /// <summary>Families turned off as exclude_metrics turns them off: what a family costs is the run with it minus the run without.</summary>
    public IReadOnlyList<string> ExcludeMetrics { get; init; } = [];

    public IReadOnlyList<int> CurveValues { get; init; } = [1, 2, 4, 8, 16, 32, 64];

    public IReadOnlyList<string> CurveSizes { get; init; } = ["M", "L"];

    public int CurveGathers { get; init; } = 5;

    /// <summary>The size whose gather is cut by a tiny timeout to show partial output; null = the largest measured.</summary>
    public string? PartialSize { get; init; }

    /// <summary>Time budget of each baseline pass (topics, groups) per size; beyond it the pass is extrapolated.</summary>
    public IReadOnlyDictionary<string, TimeSpan> BaselineBudget { get; init; } = new Dictionary<string, TimeSpan>
    {
        ["S"] = TimeSpan.FromSeconds(60),
        ["M"] = TimeSpan.FromSeconds(60),
        ["L"] = TimeSpan.FromSeconds(15),
    };

    public bool Baseline { get; init; } = true;

    public string? OutputPath { get; init; }

    public bool Quick { get; init; }

    public static GatherOptions Parse(IReadOnlyList<string> args)
    {
        var options = new GatherOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options with
                {
                    Quick = true,
                    Sizes = [BenchSize.S],
                    Gathers = 5,
                    Warmups = 1,
                    CurveSizes = [],
                    BaselineBudget = new Dictionary<string, TimeSpan> { ["S"] = TimeSpan.FromSeconds(3) },
                },
                "--sizes" => options with { Sizes = [.. Value().Split(',').Select(BenchSize.Parse)] },
                "--gathers" => options with { Gathers = Math.Max(1, int.Parse(Value(), BenchJson.Culture)) },
                "--warmups" => options with { Warmups = Math.Max(0, int.Parse(Value(), BenchJson.Culture)) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(double.Parse(Value(), BenchJson.Culture)) },
                "--max-concurrent-requests" => options with { MaxConcurrentRequests = int.Parse(Value(), BenchJson.Culture) },
                "--exclude-metrics" => options with { ExcludeMetrics = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries)] },
                "--curve" => options with { CurveValues = [.. Value().Split(',').Select(v => int.Parse(v, BenchJson.Culture))] },
                "--curve-sizes" => options with { CurveSizes = Value() is "none" ? [] : [.. Value().Split(',').Select(s => BenchSize.Parse(s).Name)] },
                "--curve-gathers" => options with { CurveGathers = Math.Max(1, int.Parse(Value(), BenchJson.Culture)) },
                "--no-curve" => options with { CurveSizes = [] },
                "--partial-size" => options with { PartialSize = BenchSize.Parse(Value()).Name },
                "--no-baseline" => options with { Baseline = false },
                "--baseline-budget" => options with { BaselineBudget = ParseBudgets(Value(), options.BaselineBudget) },
                "--out" => options with { OutputPath = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }

    /// <summary>"M=120,L=30" (seconds per pass).</summary>
    internal static Dictionary<string, TimeSpan> ParseBudgets(string text, IReadOnlyDictionary<string, TimeSpan> current)
    {
        var budgets = current.ToDictionary(p => p.Key, p => p.Value);
        foreach (var entry in text.Split(','))
        {
            var parts = entry.Split('=');
            budgets[BenchSize.Parse(parts[0]).Name] = TimeSpan.FromSeconds(double.Parse(parts[1], BenchJson.Culture));
        }

        return budgets;
    }

    public TimeSpan BudgetFor(BenchSize size) => BaselineBudget.GetValueOrDefault(size.Name, TimeSpan.FromSeconds(15));
}
