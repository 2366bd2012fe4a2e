using System.Globalization;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaExecdInput.Benchmarks.Published;
using static KafkaExecdInput.Benchmarks.ColdStart.ColdStartRunner;

namespace KafkaExecdInput.Benchmarks.Memory;

/// <summary>
/// The <c>memory</c> command: where a published plugin's memory goes, per process. It runs the executable as
/// Telegraf does (execd, signal = STDIN, <c>warm_up = false</c> so every gather is one of its requests) against a
/// test cluster of one size, and reads /proc of the plugin and its worker three times: once started and idle
/// before any request (the runtime and, in the worker, the Kafka client), at the peak over the gathers (VmHWM),
/// and idle after them. Idle readings are split by mapping (<see cref="MemoryBreakdown"/>) and give PSS as well
/// as RSS: the two processes are one executable, whose file pages RSS counts once in each.
/// </summary>
internal static class MemoryRunner
{
    public const string Mode = "memory";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var executable = Path.GetFullPath(args[0]);
        var sizes = Option(args, "--sizes", "M").Split(',').Select(BenchSize.Parse).ToList();
        var gathers = int.Parse(Option(args, "--gathers", "15"), CultureInfo.InvariantCulture);
        var idle = TimeSpan.FromSeconds(double.Parse(Option(args, "--idle", "5"), CultureInfo.InvariantCulture));

        Console.Out.WriteLine("| size | process | when | RSS | PSS | executable's pages | JIT code | anonymous (GC heap, stacks, runtime) | malloc heap | librdkafka.so | other files |");
        Console.Out.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            using var cluster = ClusterClient.Start(size);
            var config = await PublishedPlugin.WriteConfigAsync(cluster, Mode, warmUp: false).ConfigureAwait(false);
            try
            {
                await MeasureAsync(executable, config, size, gathers, idle).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(config);
            }
        }
        return 0;
    }

    private static async Task MeasureAsync(string executable, string config, BenchSize size, int gathers, TimeSpan idle)
    {
        using var plugin = PublishedPlugin.Start(executable, config);
        var worker = await plugin.WorkerAsync().ConfigureAwait(false);
        // The worker says it is ready before the parent's start-up is quite done: let both settle.
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        Print(size, "parent", "started, before any request", MemoryBreakdown.Read(plugin.Id));
        Print(size, "worker", "started, before any request", MemoryBreakdown.Read(worker));

        ProcStats.ResetPeak(plugin.Id);
        ProcStats.ResetPeak(worker);
        var durations = new List<double>();
        for (var i = 0; i < gathers; i++)
        {
            durations.Add(await plugin.RequestGatherAsync().ConfigureAwait(false));
        }
        var (_, parentPeak) = ProcStats.Memory(plugin.Id);
        var (_, workerPeak) = ProcStats.Memory(worker);
        await Task.Delay(idle).ConfigureAwait(false);
        var parentIdle = MemoryBreakdown.Read(plugin.Id);
        var workerIdle = MemoryBreakdown.Read(worker);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size.Name} | parent | peak over {gathers} gathers (median {Stats.Median(durations):F2} s) | {Mb(parentPeak)} | | | | | | | |"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size.Name} | worker | peak over {gathers} gathers | {Mb(workerPeak)} | | | | | | | |"));
        Print(size, "parent", $"idle {idle.TotalSeconds:0} s after the last gather", parentIdle);
        Print(size, "worker", $"idle {idle.TotalSeconds:0} s after the last gather", workerIdle);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size.Name} | **both** | peak (sum of peaks) / idle | **{Mb(parentPeak + workerPeak)}** / **{Mb(parentIdle.Rss + workerIdle.Rss)}** | idle **{Mb(parentIdle.Pss + workerIdle.Pss)}** | | | | | | |"));
    }

    private static void Print(BenchSize size, string process, string when, MemoryBreakdown memory) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size.Name} | {process} | {when} | {Mb(memory.Rss)} | {Mb(memory.Pss)} | {Mb(memory.Executable)} | {Mb(memory.JitCode)} | {Mb(memory.Anonymous)} | {Mb(memory.MallocHeap)} | {Mb(memory.Librdkafka)} | {Mb(memory.OtherFiles)} |"));

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F0} MB");
}

/// <summary>
/// One process's resident memory by mapping, from /proc/&lt;pid&gt;/smaps, in bytes. <see cref="JitCode"/> is the
/// runtime's double-mapped executable memory (W^X: JIT-compiled code and stubs, <c>/memfd:doublemapper</c>);
/// <see cref="Anonymous"/> is every other anonymous mapping (the GC heap, thread stacks, the runtime's own data);
/// <see cref="MallocHeap"/> is <c>[heap]</c>, glibc's main arena (other arenas are anonymous mappings).
/// </summary>
internal sealed record MemoryBreakdown(long Rss, long Pss, long Executable, long JitCode, long Anonymous, long MallocHeap, long Librdkafka, long OtherFiles)
{
    public static MemoryBreakdown Read(int pid)
    {
        var executable = new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
        long rss = 0, pss = 0, exe = 0, jit = 0, anonymous = 0, heap = 0, librdkafka = 0, other = 0;
        var name = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingHeader(line))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                name = fields.Length == 6 ? fields[5].Trim() : "";
                continue;
            }
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                pss += Kilobytes(line);
                continue;
            }
            if (!line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                continue;
            }
            var bytes = Kilobytes(line);
            rss += bytes;
            switch (name)
            {
                case "" or "[stack]" or "[vvar]" or "[vdso]":
                case var _ when name.StartsWith("[anon", StringComparison.Ordinal):
                    anonymous += bytes;
                    break;
                case "[heap]":
                    heap += bytes;
                    break;
                case var _ when name.StartsWith("/memfd:doublemapper", StringComparison.Ordinal):
                    jit += bytes;
                    break;
                case var _ when name == executable:
                    exe += bytes;
                    break;
                case var _ when name.EndsWith("librdkafka.so", StringComparison.Ordinal):
                    librdkafka += bytes;
                    break;
                default:
                    other += bytes;
                    break;
            }
        }
        return new MemoryBreakdown(rss, pss, exe, jit, anonymous, heap, librdkafka, other);
    }

    /// <summary>A mapping's first line: "start-end perms offset dev inode [path]".</summary>
    private static bool IsMappingHeader(string line)
    {
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && line.AsSpan(0, dash).IndexOfAnyExcept("0123456789abcdef") < 0 && line.Contains(' ', StringComparison.Ordinal);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
