using System.Diagnostics;
using System.Text.Json;
using KafkaTestCluster;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// The child process that runs the test cluster at one size. Protocol, one line each way:
/// it prints "READY &lt;bootstrap&gt; &lt;commits&gt; &lt;setup ms&gt;", then answers "reset" (zero the counters) with "OK",
/// "counters" with one JSON object, "rtt &lt;ms&gt;" (every broker's network round trip) with "OK", "advance"
/// (every latest offset moves on) with "OK", "catchup &lt;share&gt;" (all but that share of the group-partitions
/// commit their latest offset) with "OK &lt;lagging&gt;", and exits on "quit" or end of input.
/// </summary>
internal static class ClusterHost
{
    public const string Mode = "cluster-host";

    public static async Task<int> RunAsync(BenchSize size)
    {
        var watch = Stopwatch.StartNew();
        await using var cluster = TestCluster.Start(new ClusterOptions { Brokers = BenchSize.Brokers });
        var committed = new List<(string Group, TopicPartitionRef Partition)>();
        var commits = size.Populate(cluster, committed);
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
                        cluster.Counters.BytesOut)
                    {
                        PeakInFlight = InFlight.Read(cluster),
                    };
                    Console.Out.WriteLine(JsonSerializer.Serialize(snapshot, BenchJson.Options));
                    break;
                case ['r', 't', 't', ' ', ..] when double.TryParse(command[4..], BenchJson.Culture, out var rttMs):
                    cluster.Network.SetRoundTrip(TimeSpan.FromMilliseconds(rttMs));
                    Console.Out.WriteLine("OK");
                    break;
                case "advance":
                    // A producer on every partition between two gathers, so the latest-offset history fills.
                    size.Advance(cluster);
                    Console.Out.WriteLine("OK");
                    break;
                case ['c', 'a', 't', 'c', 'h', 'u', 'p', ' ', ..] when double.TryParse(command[8..], BenchJson.Culture, out var laggingShare):
                    Console.Out.WriteLine($"OK {BenchSize.CatchUp(cluster, committed, laggingShare)}");
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
    /// <summary>Peak requests in flight at the cluster since the last reset (null in runs recorded before it existed).</summary>
    public InFlight? PeakInFlight { get; init; }

    public long Of(ApiKey api) => Requests.GetValueOrDefault(api.ToString());
}

/// <summary>
/// The concurrency a client reached, as the test cluster saw it: the most requests read and not yet answered at
/// once, over the whole cluster, on the busiest broker, and on the busiest single connection.
/// </summary>
internal sealed record InFlight(long Cluster, long Broker, long Connection)
{
    public static InFlight Read(TestCluster cluster) => new(
        cluster.Counters.PeakInFlight(),
        cluster.BrokerIds.Max(id => cluster.Counters.PeakInFlight(id)),
        cluster.BrokerIds.Max(cluster.Counters.PeakInFlightOnConnection));
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

    /// <summary>Sets every broker's network round trip.</summary>
    public void SetRoundTrip(TimeSpan roundTrip)
    {
        var answer = _child.Ask(string.Create(BenchJson.Culture, $"rtt {roundTrip.TotalMilliseconds}"));
        if (answer != "OK")
        {
            throw new InvalidOperationException($"cluster host said '{answer}' to rtt");
        }
    }

    public ClusterCounterSnapshot ReadCounters() =>
        JsonSerializer.Deserialize<ClusterCounterSnapshot>(_child.Ask("counters"), BenchJson.Options)
        ?? throw new InvalidOperationException("no counters");

    /// <summary>Moves every partition's latest offset on (ClusterHost "advance").</summary>
    public void Advance()
    {
        var answer = _child.Ask("advance");
        if (answer != "OK")
        {
            throw new InvalidOperationException($"cluster host said '{answer}' to advance");
        }
    }

    /// <summary>Commits all but <paramref name="laggingShare"/> of the group-partitions at their latest offset; returns how many still lag.</summary>
    public int CatchUp(double laggingShare)
    {
        var answer = _child.Ask(string.Create(BenchJson.Culture, $"catchup {laggingShare}"));
        return answer.StartsWith("OK ", StringComparison.Ordinal)
            ? int.Parse(answer[3..], BenchJson.Culture)
            : throw new InvalidOperationException($"cluster host said '{answer}' to catchup");
    }

    /// <summary>Closing the child's stdin ends it.</summary>
    public void Dispose() => _child.Dispose();
}
