using System.Globalization;
using System.Text;

namespace KafkaExecdInput.Soak;

/// <summary>What a soak run found: per-gather outcomes, process samples, and any broken promise.</summary>
internal sealed class SoakReport(
    SoakOptions options,
    IReadOnlyList<GatherOutcome> gathers,
    IReadOnlyList<SoakSample> samples,
    IReadOnlyList<string> violations,
    IReadOnlyList<string> stderr,
    int workerProcessesSeen)
{
    public SoakOptions Options => options;

    public IReadOnlyList<GatherOutcome> Gathers => gathers;

    public IReadOnlyList<SoakSample> Samples => samples;

    /// <summary>Invalid output, an exited plugin, an incomplete gather without a fault, unprefixed stderr, ...</summary>
    public IReadOnlyList<string> Violations => violations;

    public IReadOnlyList<string> Stderr => stderr;

    public int WorkerProcessesSeen => workerProcessesSeen;

    public int Complete => gathers.Count(g => !g.Partial);

    public int Partial => gathers.Count(g => g.Partial);

    /// <summary>
    /// Growth of resident memory in KiB per 100 gathers: least squares over the samples of the second
    /// half of the run (the first half includes warm-up: JIT, pools, caches).
    /// </summary>
    public double RssSlopeKiBPer100Gathers(string role)
    {
        var points = samples.Where(s => s.Role == role).ToList();
        var late = points.Where(s => s.Gather > options.Gathers / 2).ToList();
        if (late.Count < 3)
        {
            late = points;
        }
        if (late.Count < 2)
        {
            return 0;
        }
        double meanX = late.Average(s => s.Gather), meanY = late.Average(s => s.Sample.RssKiB);
        double numerator = late.Sum(s => (s.Gather - meanX) * (s.Sample.RssKiB - meanY));
        double denominator = late.Sum(s => (s.Gather - meanX) * (s.Gather - meanX));
        return denominator == 0 ? 0 : numerator / denominator * 100;
    }

    public string Format()
    {
        var text = new StringBuilder();
        var faulty = gathers.Where(g => g.Fault != SoakFault.None).ToList();
        text.AppendLine(Invariant($"soak: {gathers.Count} of {options.Gathers} gathers, {options.Topics} topics x {options.PartitionsPerTopic} partitions, {options.Groups} groups, {options.Brokers} brokers; timeout {options.Timeout.TotalSeconds:0.#}s, request_timeout {options.RequestTimeout.TotalSeconds:0.#}s; seed {options.Seed}"));
        text.AppendLine(Invariant($"gathers: {Complete} complete, {Partial} partial; {faulty.Count} with a fault injected ({faulty.Count(g => g.Partial)} of them partial); {gathers.Count - faulty.Count} without ({gathers.Count(g => g.Fault == SoakFault.None && g.Partial)} of them partial)"));
        foreach (var byFault in faulty.GroupBy(g => g.Fault).OrderBy(g => g.Key))
        {
            text.AppendLine(Invariant($"  {byFault.Key,-40} {byFault.Count(),4} gathers, {byFault.Count(g => g.Partial),4} partial, max {byFault.Max(g => g.Seconds),6:0.00}s"));
        }
        if (gathers.Count > 0)
        {
            var seconds = gathers.Select(g => g.Seconds).Order().ToList();
            text.AppendLine(Invariant($"gather time: median {seconds[seconds.Count / 2]:0.00}s, p95 {seconds[(int)(seconds.Count * 0.95)]:0.00}s, max {seconds[^1]:0.00}s"));
            text.AppendLine(Invariant($"worker: {gathers[^1].WorkerRestarts} restarts after a crash, {workerProcessesSeen} worker processes seen (restarts and retirements)"));
        }
        foreach (var role in new[] { "parent", "worker" })
        {
            var points = samples.Where(s => s.Role == role).ToList();
            if (points.Count == 0)
            {
                continue;
            }
            var slope = RssSlopeKiBPer100Gathers(role) / 1024.0;
            text.AppendLine(Invariant($"{role,-6}: RSS first {points[0].Sample.RssKiB / 1024.0:0.0} MiB, last {points[^1].Sample.RssKiB / 1024.0:0.0} MiB, max {points.Max(p => p.Sample.RssKiB) / 1024.0:0.0} MiB, slope {slope:+0.00;-0.00} MiB/100 gathers"));
            text.AppendLine(Invariant($"        threads {points.Min(p => p.Sample.Threads)}..{points.Max(p => p.Sample.Threads)} (last {points[^1].Sample.Threads}); fds {points.Min(p => p.Sample.FileDescriptors)}..{points.Max(p => p.Sample.FileDescriptors)} (last {points[^1].Sample.FileDescriptors}); {points.Select(p => p.Pid).Distinct().Count()} process(es) sampled"));
        }
        text.AppendLine(Invariant($"stderr: {stderr.Count} lines, {stderr.Count(l => l.StartsWith("E! ", StringComparison.Ordinal))} E!, {stderr.Count(l => l.StartsWith("W! ", StringComparison.Ordinal))} W!"));
        text.AppendLine(violations.Count == 0 ? "violations: none" : $"violations ({violations.Count}):");
        foreach (var violation in violations)
        {
            text.AppendLine("  " + violation);
        }
        return text.ToString();
    }

    /// <summary>One row per sample: gather, role, pid, rss_kib, threads, fds.</summary>
    public string SamplesCsv()
    {
        var csv = new StringBuilder("gather,role,pid,rss_kib,threads,fds\n");
        foreach (var s in samples)
        {
            csv.AppendLine(Invariant($"{s.Gather},{s.Role},{s.Pid},{s.Sample.RssKiB},{s.Sample.Threads},{s.Sample.FileDescriptors}"));
        }
        return csv.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
