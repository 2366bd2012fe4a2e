using System.Globalization;
using System.Text;
using KafkaTestCluster;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>The markdown printed at the end of a gather run (the JSON file holds every sample).</summary>
internal static class GatherReport
{
    private static readonly ApiKey[] ReportedApis =
        [ApiKey.Metadata, ApiKey.ListOffsets, ApiKey.ListGroups, ApiKey.DescribeGroups, ApiKey.FindCoordinator, ApiKey.OffsetFetch, ApiKey.ApiVersions];

    public static string Markdown(GatherRun run, IReadOnlyList<TargetCheck> checks)
    {
        var sizes = run.Sizes;
        var text = new StringBuilder();
        text.AppendLine(Inv($"### Gather benchmark, {run.Started:yyyy-MM-dd HH:mm} UTC"));
        text.AppendLine();
        text.AppendLine(Inv($"{run.Environment.Cores} cores, {run.Environment.Runtime}, {run.Environment.Machine}; load average before {run.Environment.LoadBefore}, after {run.Environment.LoadAfter}. ")
            + Inv($"Test cluster: {BenchSize.Brokers} brokers on loopback in a separate process. max_concurrent_requests = {run.MaxConcurrentRequests}."));
        text.AppendLine();

        text.AppendLine("| | " + string.Join(" | ", sizes.Select(s => s.Size)) + " |");
        text.AppendLine("|---|" + string.Concat(sizes.Select(_ => "---:|")));
        Row(text, "cluster", sizes, s => Inv($"{s.Topics:N0} topics × {s.Partitions / s.Topics} = {s.Partitions:N0} partitions, {s.Groups:N0} groups, {s.Commits:N0} commits"));
        Row(text, "gathers measured", sizes, s => Inv($"{s.Samples.Count} after {s.WarmupWallSeconds.Count} warm-up"));
        Row(text, "warm-up gathers of a fresh plugin (JIT), wall time", sizes, s => string.Join(", ", s.WarmupWallSeconds.Select(w => Inv($"{w:F2}"))) + " s");
        Row(text, "**gather wall time, median / p95**", sizes, s => Inv($"**{s.MedianWallSeconds:F3} s** / {s.P95WallSeconds:F3} s"));
        Row(text, "CPU per gather, parent / worker", sizes, s =>
            Inv($"{Stats.Mean(s.Samples.Select(x => x.ParentCpuSeconds)):F2} s / {Stats.Mean(s.Samples.Select(x => x.WorkerCpuSeconds)):F2} s"));
        Row(text, "(test cluster CPU per gather, for context)", sizes, s => Inv($"{Stats.Mean(s.Samples.Select(x => x.ClusterCpuSeconds)):F2} s"));
        Row(text, "allocated per gather, parent (managed)", sizes, s => Inv($"{Stats.Median(s.Samples.Select(x => (double)x.ParentAllocatedBytes)) / 1e6:F1} MB"));
        Row(text, "worker → parent frame bytes per gather", sizes, s => Inv($"{Stats.Median(s.Samples.Select(x => (double)x.WorkerFrameBytes)) / 1e6:F2} MB"));
        Row(text, "GCs per gather, parent (gen0 / gen2)", sizes, s =>
            Inv($"{Stats.Mean(s.Samples.Select(x => (double)x.Gen0Collections)):F1} / {Stats.Mean(s.Samples.Select(x => (double)x.Gen2Collections)):F1}"));
        Row(text, "parent's collection after the block (not in the gather), median", sizes, s => Inv($"{Stats.Median(s.Samples.Select(x => x.ReleasePauseSeconds)) * 1000:F0} ms"));
        Row(text, "**peak RSS, parent / worker**", sizes, s => Inv($"**{s.Memory.ParentPeak / 1e6:F0} MB / {s.Memory.WorkerPeak / 1e6:F0} MB**"));
        Row(text, "idle RSS (5 s after a gather), parent / worker", sizes, s => Inv($"{s.Memory.ParentIdle / 1e6:F0} MB / {s.Memory.WorkerIdle / 1e6:F0} MB"));
        foreach (var api in ReportedApis.Select(a => a.ToString()).Concat(sizes.SelectMany(s => s.ApisSeen)).Distinct())
        {
            Row(text, $"requests per gather: {api}", sizes, s => Inv($"{s.RequestsPerGather(api):N0}"));
        }

        Row(text, "requests per gather: all", sizes, s => Inv($"{s.ApisSeen.Sum(s.RequestsPerGather):N0}"));
        Row(text, "lines / bytes written per gather", sizes, s =>
            Inv($"{Stats.Median(s.Samples.Select(x => (double)x.Lines)):N0} / {Stats.Median(s.Samples.Select(x => (double)x.Bytes)) / 1e6:F1} MB"));
        BaselineRows(text, sizes, "kafka_exporter pattern, offset.show-all = true (its default)", s => s.Baseline);
        BaselineRows(text, sizes, "same, committed-only offset fetches (lower bound)", s => s.LowerBoundBaseline);
        text.AppendLine();

        var curveSizes = sizes.Where(s => s.Curve.Count > 0).ToList();
        if (curveSizes.Count > 0)
        {
            text.AppendLine("max_concurrent_requests curve (median gather wall time; in brackets worker CPU per gather):");
            text.AppendLine();
            text.AppendLine("| max_concurrent_requests | " + string.Join(" | ", curveSizes.Select(s => s.Size)) + " |");
            text.AppendLine("|---:|" + string.Concat(curveSizes.Select(_ => "---:|")));
            foreach (var value in curveSizes[0].Curve.Select(p => p.MaxConcurrentRequests))
            {
                text.Append(Inv($"| {value} |"));
                foreach (var size in curveSizes)
                {
                    var point = size.Curve.FirstOrDefault(p => p.MaxConcurrentRequests == value);
                    text.Append(point is null ? " – |" : Inv($" {point.MedianWallSeconds:F3} s ({point.MedianWorkerCpuSeconds:F2} s){(point.AllComplete ? "" : " partial")} |"));
                }

                text.AppendLine();
            }

            text.AppendLine();
        }

        if (sizes.FirstOrDefault(s => s.Partial is not null) is { Partial: { } partial } cut)
        {
            text.AppendLine(Inv($"Gather cut short: {cut.Size} with timeout = {partial.TimeoutSeconds:F2} s returned after {partial.WallSeconds:F2} s with ")
                + Inv($"{partial.Lines:N0} lines ({partial.Bytes / 1e6:F1} MB), partial = {(partial.Partial ? 1 : 0)}; its last line: `{partial.CollectorLine}`"));
            text.AppendLine();
        }

        text.AppendLine("| target | measured | met |");
        text.AppendLine("|---|---|---|");
        foreach (var check in checks)
        {
            text.AppendLine(Inv($"| {check.Target} | {check.Actual} | {(check.Met switch { true => "yes", false => "**no**", null => "–" })} |"));
        }

        return text.ToString();
    }

    private static void BaselineRows(StringBuilder text, IReadOnlyList<SizeResult> sizes, string name, Func<SizeResult, BaselineSummary?> pick)
    {
        Row(text, $"**baseline: {name}, one scrape**", sizes, s => pick(s) is { } b
            ? Inv($"**{b.Result.EstimatedSeconds:F1} s**{(b.Result.Extrapolated ? " extrapolated" : " measured")}")
            : "–");
        Row(text, "  detail", sizes, s => pick(s) is { } b ? BaselineDetail(b.Result) : "–");
        Row(text, "  requests (as measured)", sizes, s => pick(s) is { } b ? BaselineRequests(b) : "–");
        Row(text, "  CPU / peak RSS (its one process)", sizes, s => pick(s) is { } b ? Inv($"{b.CpuSeconds:F1} s / {b.PeakRss / 1e6:F0} MB") : "–");
        Row(text, "  **speed-up of the plugin (median gather)**", sizes, s => pick(s) is { } b
            ? Inv($"**{b.Result.EstimatedSeconds / s.MedianWallSeconds:F0}×**")
            : "–");
    }

    private static string BaselineDetail(BaselineResult r) =>
        Inv($"metadata {r.MetadataSeconds:F2} s; topics {Pass(r.TopicPass, "partitions")} with {r.TopicPass.Workers} workers; groups {Pass(r.GroupPass, "groups")}")
        + Inv($" ({r.GroupPass.Workers} brokers in parallel)");

    private static string Pass(PassResult pass, string unit) => pass.Complete
        ? Inv($"{pass.Seconds:F1} s for {pass.Total:N0} {unit}")
        : Inv($"{pass.Done:N0} of {pass.Total:N0} {unit} in {pass.Seconds:F1} s → {pass.EstimatedSeconds:F0} s for all");

    private static string BaselineRequests(BaselineSummary b)
    {
        var parts = b.Requests.Requests.OrderByDescending(p => p.Value).Select(p => Inv($"{p.Key} {p.Value:N0}"));
        return string.Join(", ", parts);
    }

    private static void Row(StringBuilder text, string label, IReadOnlyList<SizeResult> sizes, Func<SizeResult, string> cell) =>
        text.AppendLine($"| {label} | " + string.Join(" | ", sizes.Select(cell)) + " |");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
