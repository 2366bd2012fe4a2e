using KafkaExecdInput.Benchmarks.ColdStart;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaExecdInput.Benchmarks.Latency;
using KafkaExecdInput.Benchmarks.Micro;

namespace KafkaExecdInput.Benchmarks;

/// <summary>
/// <c>gather</c>: end-to-end gathers at three cluster sizes against the kafka_exporter baseline;
/// <c>micro</c>: BenchmarkDotNet runs of the line-protocol writer and the metric mapper. See README.md.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var rest = args.Skip(1).ToArray();
        switch (args.FirstOrDefault())
        {
            case "gather":
                return await GatherRunner.RunAsync(GatherOptions.Parse(rest), rest).ConfigureAwait(false);
            case GatherRunner.OneSizeMode:
                return await GatherRunner.RunOneSizeAsync(rest).ConfigureAwait(false);
            case "report":
                return await GatherRunner.ReportAsync(rest[0]).ConfigureAwait(false);
            case "micro":
                return MicroRunner.Run(rest);
            case Codec.CodecRunner.Mode:
                return Codec.CodecRunner.Run(rest);
            case ClusterHost.Mode:
                return await ClusterHost.RunAsync(BenchSize.Parse(rest[0])).ConfigureAwait(false);
            case ExporterBaseline.Mode:
                return await ExporterBaseline.RunAsync(rest[0], TimeSpan.FromSeconds(double.Parse(rest[1], BenchJson.Culture)),
                    nagleDisabled: rest.Length > 2 && rest[2] == ExporterBaseline.NagleOff).ConfigureAwait(false);
            case "latency":
                return await LatencyRunner.RunAsync(LatencyOptions.Parse(rest), rest).ConfigureAwait(false);
            case LatencyRunner.OneSizeMode:
                return await LatencyRunner.RunOneSizeAsync(rest).ConfigureAwait(false);
            case ColdStartRunner.Mode:
                return await ColdStartRunner.RunAsync(rest).ConfigureAwait(false);
            case Memory.MemoryRunner.Mode:
                return await Memory.MemoryRunner.RunAsync(rest).ConfigureAwait(false);
            case LagSeconds.LagSecondsRunner.Mode:
                return await LagSeconds.LagSecondsRunner.RunAsync(rest).ConfigureAwait(false);
            case StateFile.StateFileRunner.Mode:
                return StateFile.StateFileRunner.Run(rest);
            case LagSeconds.LagSecondsRunner.OneMode:
                return await LagSeconds.LagSecondsRunner.RunOneAsync(rest).ConfigureAwait(false);
            case NagleProbe.Mode:
                return await NagleProbe.RunAsync(NagleProbe.ParseRounds(rest)).ConfigureAwait(false);
            default:
                await Console.Error.WriteLineAsync(
                    "usage: gather [--quick] [--sizes S,M,L] [--gathers N] [--warmups N] [--curve 1,2,4] [--curve-sizes M,L|none] " +
                    "[--no-baseline] [--baseline-budget M=60,L=15] [--partial-size L] [--out file.json]\n" +
                    "       report <gather JSON file>   (prints the markdown of an earlier gather run again)\n" +
                    "       latency [--sizes M,L] [--rtts 0,1,5,20] [--gathers N] [--warmups N] [--baseline-budget M=10,L=10] [--no-baseline] [--out file.json]\n" +
                    "       coldstart <published kafka-execd-input> [--sizes M,L] [--gathers 6] [--starts 3] [--label NAME] [--first-request-after S] [--warm-up on|off]\n" +
                    "       memory <published kafka-execd-input> [--sizes M] [--gathers 15] [--idle 5]   (each process's memory by mapping: started, peak, idle)\n" +
                    "       lagseconds [--sizes L] [--gathers 100] [--exact-gathers 5] [--lagging 0.1]   (lag in seconds: off, history, exact)\n" +
                    "       nagle [--rounds N]   (two pipelined admin requests at a 20 ms round trip, Nagle on and off)\n" +
                    "       codec [M,L]   (the worker contract per gather: frame bytes, encode/decode time and allocation, in process)\n" +
                    "       micro [--quick] [BenchmarkDotNet arguments, e.g. --filter *Writer*]").ConfigureAwait(false);
                return 2;
        }
    }
}
