using System.Globalization;
using System.Text;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaTestCluster;

namespace KafkaExecdInput.Benchmarks.Latency;

/// <summary>The markdown printed at the end of a latency run: one table per size, one row per round trip and plugin variant.</summary>
internal static class LatencyReport
{
    private static readonly ApiKey[] Apis = [ApiKey.FindCoordinator, ApiKey.OffsetFetch, ApiKey.DescribeGroups, ApiKey.ListOffsets, ApiKey.Metadata];

    public static string Markdown(LatencyRun run)
    {
        var text = new StringBuilder();
        text.AppendLine(Inv($"### Latency benchmark, {run.Started:yyyy-MM-dd HH:mm} UTC"));
        text.AppendLine();
        text.AppendLine(Inv($"{run.Environment.Cores} cores, {run.Environment.Runtime}; load average before {run.Environment.LoadBefore}, after {run.Environment.LoadAfter}. ")
            + Inv($"Test cluster: {BenchSize.Brokers} brokers on loopback in a separate process, every response delayed by the round trip. max_concurrent_requests = {run.MaxConcurrentRequests}. ")
            + "Baseline: the kafka_exporter replay with Nagle off (Go's default), budgeted per pass and extrapolated beyond.");
        text.AppendLine();
        foreach (var size in run.Sizes)
        {
            text.AppendLine(Inv($"**{size.Size}**: {size.Partitions:N0} partitions, {size.Groups:N0} groups, {size.Commits:N0} commits; ")
                + Inv($"{size.Points.FirstOrDefault()?.Plugin.FirstOrDefault()?.Samples.Count ?? 0} gathers per row after one unmeasured gather at that round trip."));
            text.AppendLine();
            text.AppendLine("| RTT | plugin | gather median / p95 | requests per gather: " + string.Join(" / ", Apis.Select(a => a.ToString())) + " / all " +
                "| peak in flight: cluster / broker / connection | mean in flight ≥ requests × RTT ÷ wall | kafka_exporter pattern (show-all) | same, committed-only | plugin speed-up vs committed-only |");
            text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var point in size.Points)
            {
                var first = true;
                foreach (var variant in point.Plugin)
                {
                    var (cluster, broker, connection) = variant.PeakInFlight;
                    var meanInFlight = point.RoundTripMs > 0 ? Inv($"{variant.AllRequestsPerGather * point.RoundTripMs / 1000 / variant.MedianWallSeconds:F1}") : "–";
                    var showAll = point.Baselines.FirstOrDefault(b => b.Result.Variant == ExporterBaseline.ShowAll);
                    var committed = point.Baselines.FirstOrDefault(b => b.Result.Variant == ExporterBaseline.CommittedOnly);
                    text.AppendLine(Inv($"| {(first ? Inv($"{point.RoundTripMs:0.#} ms") : "")} | {variant.Name} | **{variant.MedianWallSeconds:F3} s** / {variant.P95WallSeconds:F3} s | ")
                        + string.Join(" / ", Apis.Select(a => Inv($"{variant.RequestsPerGather(a.ToString()):N0}"))) + Inv($" / {variant.AllRequestsPerGather:N0} ")
                        + Inv($"| {cluster:0} / {broker:0} / {connection:0} | {meanInFlight} ")
                        + Inv($"| {(first ? Baseline(showAll) : "")} | {(first ? Baseline(committed) : "")} ")
                        + Inv($"| {(committed is null ? "–" : Inv($"{committed.Result.EstimatedSeconds / variant.MedianWallSeconds:F0}×"))} |"));
                    first = false;
                }
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Baseline(BaselineSummary? b) => b is null
        ? "–"
        : Inv($"{b.Result.EstimatedSeconds:F1} s{(b.Result.Extrapolated ? " (extrapolated)" : "")}");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
