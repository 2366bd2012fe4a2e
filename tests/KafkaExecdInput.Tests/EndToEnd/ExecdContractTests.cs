using System.Text;
using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// The plugin started exactly as Telegraf's inputs.execd starts it (design.md §3): a newline on
/// stdin per interval, stdout read as a stream, stdin closed to stop, SIGTERM if that is not enough.
/// </summary>
public sealed class ExecdContractTests : IDisposable
{
    private static readonly TimeSpan BlockLimit = TimeSpan.FromSeconds(30);
    private readonly TestCluster _cluster = TestCluster.Start();
    private readonly PluginConfigFile _config;

    public ExecdContractTests()
    {
        _cluster.CreateTopic("events", 4);
        _cluster.SetGroup(new GroupSpec("reader", GroupState.Empty, []));
        _cluster.CommitOffset("reader", "events", 0, 0);
        _config = new PluginConfigFile(_cluster.BootstrapServers);
    }

    [Theory]
    [InlineData("-config")] // the spelling of Telegraf's Go shim README
    [InlineData("--config")]
    public async Task Each_newline_gets_one_complete_block_and_closing_stdin_exits_zero(string configFlag)
    {
        await using var plugin = PluginProcess.Start([configFlag, _config.Path]);
        var blocks = new BlockReader(plugin);

        var timestamps = new List<long>();
        for (var gather = 0; gather < 3; gather++)
        {
            _cluster.AdvanceHighWatermark("events", 0, 5);
            await plugin.Stdin.WriteAsync("\n"u8.ToArray());
            await plugin.Stdin.FlushAsync();

            var block = await blocks.NextBlockAsync(BlockLimit);
            Assert.NotNull(block);
            var lines = Blocks.Parse(block);
            Assert.Single(lines.Select(l => l.Timestamp).Distinct());
            Assert.Equal(5 * (gather + 1), lines.Single("kafka_topic_partition", ("partition", "0"), ("topic", "events")).Int("current_offset"));
            timestamps.Add(lines[0].Timestamp);
        }

        plugin.CloseStdin();
        Assert.Equal(0, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(timestamps.Order(), timestamps);
        Assert.All(plugin.StderrLines, AssertTelegrafLogLine);
    }

    [Fact]
    public async Task A_burst_of_requests_during_a_gather_coalesces_into_at_most_one_more()
    {
        // Slow partition offsets (the last phase) so the burst certainly lands while the gather runs.
        _cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(1500), api: ApiKey.ListOffsets);
        await using var plugin = PluginProcess.Start(["--config", _config.Path]);
        var blocks = new BlockReader(plugin);

        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();
        await WaitUntilAsync(() => _cluster.Counters.Requests(ApiKey.ListGroups) > 0);
        await plugin.Stdin.WriteAsync(Encoding.ASCII.GetBytes(new string('\n', 1000)));
        await plugin.Stdin.FlushAsync();

        Assert.NotNull(await blocks.NextBlockAsync(BlockLimit));
        Assert.NotNull(await blocks.NextBlockAsync(BlockLimit));
        plugin.CloseStdin();
        Assert.Null(await blocks.NextBlockAsync(BlockLimit));
        Assert.Equal(0, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        // Each gather lists groups once on every broker: two gathers, not 1,001.
        Assert.Equal(2 * _cluster.BrokerIds.Count, _cluster.Counters.Requests(ApiKey.ListGroups));
    }

    [Fact]
    public async Task A_request_sent_as_the_plugin_starts_is_answered_by_the_warm_up_gather_alone()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, warmUp: true);
        await using var plugin = PluginProcess.Start(["--config", config.Path]);
        var blocks = new BlockReader(plugin);

        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();
        var block = await blocks.NextBlockAsync(BlockLimit);
        Assert.NotNull(block);
        Assert.Equal(0, Blocks.Parse(block).Single("kafka_collector").Int("partial"));
        plugin.CloseStdin();

        Assert.Null(await blocks.NextBlockAsync(BlockLimit));
        Assert.Equal(0, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        // One gather in all: the request did not cost the cluster a second one.
        Assert.Equal(_cluster.BrokerIds.Count, _cluster.Counters.Requests(ApiKey.ListGroups));
    }

    [Fact]
    public async Task A_warm_up_gather_no_request_waited_for_writes_nothing_and_the_first_request_gets_a_gather_of_its_own()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers, "  log_level = \"debug\"", warmUp: true);
        await using var plugin = PluginProcess.Start(["--config", config.Path]);
        var blocks = new BlockReader(plugin);
        await WaitUntilAsync(() => plugin.StderrLines.Any(l => l.StartsWith("D! warm-up gather done in ", StringComparison.Ordinal)));

        _cluster.AdvanceHighWatermark("events", 0, 7);
        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();
        var block = await blocks.NextBlockAsync(BlockLimit);
        Assert.NotNull(block);
        // The first block on stdout is the request's own gather, which saw the offset moved after the warm-up.
        Assert.Equal(7, Blocks.Parse(block).Single("kafka_topic_partition", ("partition", "0"), ("topic", "events")).Int("current_offset"));
        plugin.CloseStdin();
        Assert.Null(await blocks.NextBlockAsync(BlockLimit));
        Assert.Equal(0, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2 * _cluster.BrokerIds.Count, _cluster.Counters.Requests(ApiKey.ListGroups));
    }

    [Fact]
    public async Task Lines_with_text_are_requests_too()
    {
        await using var plugin = PluginProcess.Start(["--config", _config.Path]);
        var blocks = new BlockReader(plugin);

        await plugin.Stdin.WriteAsync("collect please\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();

        Assert.NotNull(await blocks.NextBlockAsync(BlockLimit));
    }

    [Fact]
    public async Task Sigterm_ends_the_process_promptly_with_exit_zero()
    {
        await using var plugin = PluginProcess.Start(["--config", _config.Path]);
        var blocks = new BlockReader(plugin);
        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();
        Assert.NotNull(await blocks.NextBlockAsync(BlockLimit));

        plugin.SendSignal(15);

        Assert.Equal(0, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Sigterm_during_a_gather_that_cannot_finish_still_exits_promptly()
    {
        _cluster.Faults.NeverAnswer(ApiKey.Metadata);
        await using var plugin = PluginProcess.Start(["--config", _config.Path]);
        await plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await plugin.Stdin.FlushAsync();
        // The plugin reads stdin once its worker is up, so the gather has begun; Metadata hangs.
        await PipeBuffer.WaitUntilReadAsync(plugin.Stdin, BlockLimit);
        await WaitUntilAsync(() => _cluster.Counters.Requests(ApiKey.Metadata) > 0);

        plugin.SendSignal(15);

        Assert.Equal(0, await plugin.WaitForExitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_interval_option_gathers_without_any_request()
    {
        await using var plugin = PluginProcess.Start(["--config", _config.Path, "--interval", "300ms"]);
        var blocks = new BlockReader(plugin);

        Assert.NotNull(await blocks.NextBlockAsync(BlockLimit));
        Assert.NotNull(await blocks.NextBlockAsync(BlockLimit));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + BlockLimit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(20);
        }
    }

    internal static void AssertTelegrafLogLine(string line) =>
        Assert.True(
            line.Length > 3 && line[1] == '!' && line[2] == ' ' && "EWIDT".Contains(line[0], StringComparison.Ordinal),
            $"stderr line without a Telegraf level prefix: {line}");

    public void Dispose()
    {
        _config.Dispose();
        _cluster.Dispose();
    }
}
