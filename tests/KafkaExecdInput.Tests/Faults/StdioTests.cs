using System.Diagnostics;
using System.Text;
using KafkaExecdInput.Tests.EndToEnd;
using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;
using KafkaTestCluster;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// Bad input and output on the execd pipes (the 1,000-newline burst is ExecdContractTests'):
/// lines that are not a bare newline, stdin closing in the middle of a gather, and stdout closed by
/// its reader - the process must exit (code 4) instead of hanging, and leave no worker behind.
/// </summary>
public sealed class StdioTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = TestCluster.Start();
        _cluster.CreateTopic("events", 3);
        _cluster.SetGroup(new GroupSpec("reader", GroupState.Empty, []));
        _cluster.CommitOffset("reader", "events", 0, 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Any_line_is_one_request_whatever_it_holds_and_nothing_without_a_newline_is()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);
        await using var session = FaultSession.Start(config, output);

        byte[][] lines =
        [
            "collect\r\n"u8.ToArray(),
            [0x00, 0xff, 0xfe, 0xc3, 0x28, (byte)'\n'],   // NUL and invalid UTF-8
            Encoding.ASCII.GetBytes(new string('x', 100_000) + "\n"),   // longer than any pipe buffer
            "\t  \n"u8.ToArray(),
        ];
        var slowest = TimeSpan.Zero;
        foreach (var line in lines)
        {
            var written = Stopwatch.GetTimestamp();
            await session.Plugin.Stdin.WriteAsync(line);
            await session.Plugin.Stdin.FlushAsync();
            var gather = await session.NextAsync(startedAt: written);
            Assert.False(gather.Partial);
            // The first gather also waits for the plugin to start; the others are what a gather takes.
            slowest = line != lines[0] && gather.Elapsed > slowest ? gather.Elapsed : slowest;
        }

        // Half a line is not a request; its newline is. Once the plugin has read the half line (the
        // pipe is empty), a request would start a gather, whose first Kafka call is Metadata, sooner
        // than a whole gather took above: twice the slowest is the window, on this machine's load.
        var metadataBefore = _cluster.Counters.Requests(ApiKey.Metadata);
        var listingsBefore = _cluster.Counters.Requests(ApiKey.ListGroups);
        await session.Plugin.Stdin.WriteAsync("no newline yet"u8.ToArray());
        await session.Plugin.Stdin.FlushAsync();
        await PipeBuffer.WaitUntilReadAsync(session.Plugin.Stdin, TimeSpan.FromSeconds(30));
        output.WriteLine($"no gather within {2 * slowest.TotalMilliseconds:0} ms of reading half a line");
        await AssertHoldsThroughoutAsync(() => _cluster.Counters.Requests(ApiKey.Metadata) == metadataBefore, 2 * slowest,
            "half a line started a gather");
        await session.Plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await session.Plugin.Stdin.FlushAsync();
        Assert.False((await session.NextAsync()).Partial);
        Assert.Equal(listingsBefore + _cluster.BrokerIds.Count, _cluster.Counters.Requests(ApiKey.ListGroups));

        await session.StopAsync();
        Assert.Equal(5, session.Gathers.Count);
    }

    /// <summary>Fails as soon as <paramref name="condition"/> stops holding within <paramref name="window"/>.</summary>
    private static async Task AssertHoldsThroughoutAsync(Func<bool> condition, TimeSpan window, string failure)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < window)
        {
            Assert.True(condition(), $"{failure} (after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms of a {window.TotalMilliseconds:0} ms window)");
            await Task.Delay(5);
        }
        Assert.True(condition(), failure);
    }

    [Fact]
    public async Task Stdin_closing_mid_gather_lets_the_gather_finish_and_write_its_whole_block_then_exits_0()
    {
        _cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(1000), api: ApiKey.ListOffsets);
        using var config = new PluginConfigFile(_cluster.BootstrapServers);

        var (lines, stderr) = await CloseStdinMidGatherAsync(config, ApiKey.ListOffsets);

        var collector = Blocks.Collector(lines);
        Assert.Equal(0, collector.Int("partial"));
        Assert.Equal(3, lines.Count(l => l.Measurement == "kafka_topic_partition" && l.Field("current_offset") is long));
        Assert.All(stderr, ExecdContractTests.AssertTelegrafLogLine);
    }

    [Fact]
    public async Task Stdin_closing_in_a_gather_that_cannot_finish_exits_0_before_telegraf_would_kill_it()
    {
        _cluster.Faults.NeverAnswer(ApiKey.Metadata);
        _cluster.Faults.NeverAnswer(ApiKey.ListGroups);
        using var config = new PluginConfigFile(_cluster.BootstrapServers, timeout: "20s", requestTimeout: "15s");

        var (lines, stderr) = await CloseStdinMidGatherAsync(config, ApiKey.Metadata);

        // What it wrote is whole lines (Blocks.Parse is strict), and says the gather was cut short.
        var collector = Blocks.Collector(lines);
        Assert.Equal(1, collector.Int("partial"));
        Assert.Equal(lines.Count - 1, collector.Int("lines"));
        Assert.All(stderr, ExecdContractTests.AssertTelegrafLogLine);
    }

    /// <summary>
    /// Asks for one gather, closes stdin once the cluster has seen <paramref name="inFlight"/>, and
    /// requires exit 0 within 5 s (Telegraf sends SIGTERM 5 s after closing stdin).
    /// </summary>
    private async Task<(IReadOnlyList<ParsedLine> Lines, IReadOnlyList<string> Stderr)> CloseStdinMidGatherAsync(PluginConfigFile config, ApiKey inFlight)
    {
        await using var plugin = PluginProcess.Start(["--config", config.Path]);
        var stdout = new MemoryStream();
        var copy = plugin.Stdout.CopyToAsync(stdout);

        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();
        // The first gather: the limit also covers the plugin's and its worker's start on a loaded machine.
        await BrokerFaultTests.WaitUntilAsync(() => _cluster.Counters.Requests(inFlight) > 0, TimeSpan.FromSeconds(60));
        var closedAt = Stopwatch.GetTimestamp();
        plugin.CloseStdin();

        Assert.Equal(0, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        await copy;
        output.WriteLine($"exited {Stopwatch.GetElapsedTime(closedAt).TotalSeconds:0.00}s after stdin closed");
        return (Blocks.Parse(Encoding.UTF8.GetString(stdout.ToArray())), plugin.StderrLines);
    }

    [Fact]
    public async Task Stdout_closed_by_its_reader_ends_the_plugin_with_exit_4_and_no_worker_left()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);
        await using var plugin = PluginProcess.Start(["--config", config.Path]);
        var blocks = new BlockReader(plugin);
        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();
        Assert.NotNull(await blocks.NextBlockAsync(TimeSpan.FromSeconds(30)));
        var workers = ProcStats.Children(plugin.Id);
        Assert.Single(workers);

        plugin.Stdout.Dispose();
        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();

        Assert.Equal(4, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(plugin.StderrLines, l => l.StartsWith("E! stdout was closed", StringComparison.Ordinal));
        Assert.All(plugin.StderrLines, ExecdContractTests.AssertTelegrafLogLine);
        await BrokerFaultTests.WaitUntilAsync(() => !ProcStats.IsAlive(workers[0]), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Stdout_closed_before_a_once_gather_writes_ends_with_exit_4_and_one_prefixed_error()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);
        await using var plugin = PluginProcess.Start(config.OnceArguments);
        plugin.Stdout.Dispose();
        plugin.CloseStdin();

        var exitCode = await plugin.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 4, $"exit {exitCode}\n{string.Join('\n', plugin.StderrLines)}");
        Assert.All(plugin.StderrLines, ExecdContractTests.AssertTelegrafLogLine);
        Assert.Single(plugin.StderrLines, l => l.StartsWith("E! ", StringComparison.Ordinal));
    }
}
