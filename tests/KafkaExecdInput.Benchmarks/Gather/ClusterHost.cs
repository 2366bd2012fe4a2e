using System.Diagnostics;
using System.Text.Json;
using KafkaTestCluster;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// The child process that runs the test cluster at one size. Protocol, one line each way:
/// it prints "READY &lt;bootstrap&gt; &lt;commits&gt; &lt;setup ms&gt;", then answers "reset" (zero the counters) with "OK",
/// "counters" with one JSON object, and exits on "quit" or end of input.
/// </summary>
internal static class ClusterHost
{
    public const string Mode = "cluster-host";

    public static async Task<int> RunAsync(BenchSize size)
    {
        var watch = Stopwatch.StartNew();
        await using var cluster = TestCluster.Start(new ClusterOptions { Brokers = BenchSize.Brokers });
        var commits = size.Populate(cluster);
        Console.Out.WriteLine($"READY {cluster.BootstrapServers} {commits} {watch.ElapsedMilliseconds}");
        Console.Out.Flush();

        while (Console.In.ReadLine() is { } command)
        {
            switch (command)
            {
                case "reset":
                    cluster.Counters.Reset();
                    Console.Out.WriteLine("OK");
                    break;
                case "counters":
                    var snapshot = new ClusterCounterSnapshot(
                        cluster.Counters.RequestsByApi().ToDictionary(p => p.Key.ToString(), p => p.Value),
                        cluster.Counters.BytesIn,
                        cluster.Counters.BytesOut);
                    Console.Out.WriteLine(JsonSerializer.Serialize(snapshot, BenchJson.Options));
                    break;
                case "quit":
                    return 0;
                default:
                    Console.Out.WriteLine($"ERROR unknown command {command}");
                    break;
            }

            Console.Out.Flush();
        }

        return 0;
    }
}

/// <summary>Requests by API key name, and bytes in and out, since the last reset.</summary>
internal sealed record ClusterCounterSnapshot(Dictionary<string, long> Requests, long BytesIn, long BytesOut)
{
    public long Of(ApiKey api) => Requests.GetValueOrDefault(api.ToString());
}

/// <summary>The parent's handle on a cluster-host child.</summary>
internal sealed class ClusterClient : IDisposable
{
    private readonly ChildProcess _child;

    private ClusterClient(ChildProcess child, string bootstrap, int commits, double setupSeconds)
    {
        _child = child;
        BootstrapServers = bootstrap;
        Commits = commits;
        SetupSeconds = setupSeconds;
    }

    public string BootstrapServers { get; }

    public int Commits { get; }

    public double SetupSeconds { get; }

    public int ProcessId => _child.Id;

    public static ClusterClient Start(BenchSize size)
    {
        var child = ChildProcess.Start(ClusterHost.Mode, size.Name);
        var ready = child.ReadLine().Split(' ');
        if (ready is not ["READY", var bootstrap, var commits, var setupMs])
        {
            child.Dispose();
            throw new InvalidOperationException($"cluster host said '{string.Join(' ', ready)}'");
        }

        return new ClusterClient(child, bootstrap, int.Parse(commits, BenchJson.Culture), double.Parse(setupMs, BenchJson.Culture) / 1000);
    }

    public void ResetCounters()
    {
        var answer = _child.Ask("reset");
        if (answer != "OK")
        {
            throw new InvalidOperationException($"cluster host said '{answer}' to reset");
        }
    }

    public ClusterCounterSnapshot ReadCounters() =>
        JsonSerializer.Deserialize<ClusterCounterSnapshot>(_child.Ask("counters"), BenchJson.Options)
        ?? throw new InvalidOperationException("no counters");

    /// <summary>Closing the child's stdin ends it.</summary>
    public void Dispose() => _child.Dispose();
}
