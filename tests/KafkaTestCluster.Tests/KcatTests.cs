using System.Diagnostics;
using System.Text.Json;

namespace KafkaTestCluster.Tests;

/// <summary>An independent client (kcat, built on its own librdkafka) agrees with the cluster state.</summary>
public sealed class KcatTests : IDisposable
{
    private const string Kcat = "/usr/bin/kcat";
    private readonly TestCluster _cluster = TestCluster.Start();

    public void Dispose() => _cluster.Dispose();

    private static bool Installed => File.Exists(Kcat);

    private const string Missing = "kcat is not installed at /usr/bin/kcat (apt-get install kcat); CI installs it.";

    private (int ExitCode, string Stdout, string Stderr) Run(string arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(Kcat, $"-b {_cluster.BootstrapServers} {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill();
            Assert.Fail($"kcat {arguments} did not finish: {stderr.Result}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [SkippableFact]
    public void MetadataListingMatchesState()
    {
        Skip.IfNot(Installed, Missing);
        _cluster.CreateTopic("inventory", 3);
        _cluster.SetPartition("inventory", 1, [2, 3, 1], leader: 3, isr: [3, 1]);

        var (exit, stdout, stderr) = Run("-L -J");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var brokers = json.RootElement.GetProperty("brokers").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).Order();
        Assert.Equal([1, 2, 3], brokers);
        var topic = json.RootElement.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("topic").GetString() == "inventory");
        var p1 = topic.GetProperty("partitions").EnumerateArray().Single(p => p.GetProperty("partition").GetInt32() == 1);
        Assert.Equal(3, p1.GetProperty("leader").GetInt32());
        Assert.Equal([2, 3, 1], p1.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        Assert.Equal([3, 1], p1.GetProperty("isrs").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
    }

    [SkippableFact]
    public void ProduceAdvancesWatermarksAndOffsetQueryAgrees()
    {
        Skip.IfNot(Installed, Missing);
        _cluster.CreateTopic("audit", 2);

        var produce = Run("-P -t audit -p 0", "one\ntwo\nthree\n");
        Assert.True(produce.ExitCode == 0, produce.Stderr);
        Assert.Equal((0L, 3L), _cluster.GetWatermarks("audit", 0));

        _cluster.SetWatermarks("audit", 1, 4, 40);
        var latest = Run("-Q -t audit:0:-1 -t audit:1:-1");
        Assert.True(latest.ExitCode == 0, latest.Stderr);
        Assert.Contains("audit [0] offset 3", latest.Stdout, StringComparison.Ordinal);
        Assert.Contains("audit [1] offset 40", latest.Stdout, StringComparison.Ordinal);
        var earliest = Run("-Q -t audit:1:-2");
        Assert.Contains("audit [1] offset 4", earliest.Stdout, StringComparison.Ordinal);
    }
}
