using System.Diagnostics;
using System.Globalization;
using KafkaExecdInput.Benchmarks.Gather;

namespace KafkaExecdInput.Benchmarks.Published;

/// <summary>
/// A published kafka-execd-input run as Telegraf runs it (execd, signal = STDIN): its config file, its process,
/// one request at a time, and its end. The coldstart and memory commands measure the executable this way.
/// </summary>
internal sealed class PublishedPlugin : IDisposable
{
    private readonly Process _process;

    private PublishedPlugin(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>A config for <paramref name="cluster"/> with a timeout no gather reaches; the caller deletes it.</summary>
    public static async Task<string> WriteConfigAsync(ClusterClient cluster, string command, bool warmUp)
    {
        var config = Path.Combine(Path.GetTempPath(), $"kafka-execd-input-{command}-{Environment.ProcessId}.conf");
        var brokers = string.Join(", ", cluster.BootstrapServers.Split(',').Select(b => $"\"{b}\""));
        await File.WriteAllTextAsync(config, $"[[inputs.kafka]]\n  brokers = [{brokers}]\n  timeout = \"120s\"\n  warm_up = {(warmUp ? "true" : "false")}\n").ConfigureAwait(false);
        return config;
    }

    public static PublishedPlugin Start(string executable, string config)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("--config");
        startInfo.ArgumentList.Add(config);
        return new PublishedPlugin(Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {executable}"));
    }

    /// <summary>
    /// Sends one request, as Telegraf's STDIN signal does, and reads the block up to its kafka_collector line (the
    /// last of a block): the gather's own duration.
    /// </summary>
    public async Task<double> RequestGatherAsync()
    {
        await _process.StandardInput.WriteAsync('\n').ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("kafka_collector ", StringComparison.Ordinal))
            {
                return GatherDuration(line);
            }
        }
        throw new InvalidOperationException("the plugin closed stdout before the block's kafka_collector line");
    }

    /// <summary>The plugin's worker: the child process it starts at start-up (Collection/WorkerProcess.cs).</summary>
    public async Task<int> WorkerAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var children = File.ReadAllText($"/proc/{Id}/task/{Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children.Length > 0)
            {
                return int.Parse(children[0], CultureInfo.InvariantCulture);
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        throw new InvalidOperationException("the plugin started no worker within 30 s");
    }

    /// <summary>Closes stdin, which ends the plugin as it ends Telegraf's; kills it if it is not gone in 20 s.</summary>
    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static double GatherDuration(string line)
    {
        const string Field = "gather_duration_seconds=";
        var at = line.IndexOf(Field, StringComparison.Ordinal) + Field.Length;
        var end = line.IndexOfAny([',', ' '], at);
        return double.Parse(line[at..end], CultureInfo.InvariantCulture);
    }
}
