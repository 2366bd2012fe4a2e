using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KafkaExecdInput.Benchmarks.Micro;

/// <summary>
/// The <c>micro</c> command: BenchmarkDotNet over <see cref="LineProtocolWriterBenchmarks"/> and
/// <see cref="MetricBuilderBenchmarks"/>, in process (no generated project to build), with the memory diagnoser.
/// </summary>
internal static class MicroRunner
{
    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        // Fixed counts keep a full run to a few minutes on two cores; --quick is a smoke check only.
        var job = (quick ? Job.ShortRun : Job.Default.WithWarmupCount(3).WithIterationCount(15))
            .WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddExporter(JsonExporter.Full)
            .WithArtifactsPath(Path.Combine("artifacts", "bench", "micro"));
        var rest = args.Where(a => a != "--quick").ToArray();
        if (!rest.Contains("--filter"))
        {
            rest = [.. rest, "--filter", "*"];
        }

        var summaries = BenchmarkSwitcher.FromTypes([typeof(LineProtocolWriterBenchmarks), typeof(MetricBuilderBenchmarks)]).Run(rest, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
