using System.Diagnostics;
using KafkaExecdInput.Tests.EndToEnd;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.Tests.Support;

/// <summary>
/// A long-running plugin driven the way Telegraf drives it (signal = "STDIN"): one newline per gather,
/// stdout read as a stream of blocks, stdin closed to stop. Every block is parsed by the strict
/// line-protocol parser, so a broken or partial line fails the test where it appears.
/// </summary>
internal sealed class ExecdSession : IAsyncDisposable
{
    /// <summary>
    /// Only reached when something hangs, so generous: a first block also waits for the plugin and its
    /// worker to start (the worker alone may take 15 s, Collector.StartTimeout) on a loaded machine.
    /// </summary>
    private static readonly TimeSpan DefaultBlockLimit = TimeSpan.FromSeconds(60);
    private readonly BlockReader _blocks;

    private ExecdSession(PluginProcess plugin)
    {
        Plugin = plugin;
        _blocks = new BlockReader(plugin);
    }

    public PluginProcess Plugin { get; }

    public static ExecdSession Start(string configPath, IReadOnlyDictionary<string, string>? environment = null) =>
        new(PluginProcess.Start(["--config", configPath], environment));

    /// <summary>The plugin on its built-in demo cluster, as README's first command runs it without --once.</summary>
    public static ExecdSession StartDemo() => new(PluginProcess.Start(["--demo"]));

    /// <summary>
    /// The first two collections of <see cref="StartDemo"/>, as Enter pressed twice, the plugin then stopped
    /// as Telegraf stops it: the second is the first with lag status and lag in seconds.
    /// </summary>
    public static async Task<(Gather First, Gather Second)> FirstTwoDemoGathersAsync()
    {
        await using var demo = StartDemo();
        var first = await demo.GatherAsync();
        var second = await demo.GatherAsync();
        await demo.StopAsync();
        return (first, second);
    }

    /// <summary>Asks for one gather without waiting for it.</summary>
    public async Task RequestAsync()
    {
        await Plugin.Stdin.WriteAsync("\n"u8.ToArray());
        await Plugin.Stdin.FlushAsync();
    }

    /// <summary>The next block on stdout, parsed; fails when stdout ends or nothing complete arrives in time.</summary>
    public async Task<Gather> NextAsync(TimeSpan? limit = null, long? startedAt = null)
    {
        var started = startedAt ?? Stopwatch.GetTimestamp();
        var text = await _blocks.NextBlockAsync(limit ?? DefaultBlockLimit)
            ?? throw new Xunit.Sdk.XunitException($"stdout ended: the plugin exited\n--- stderr ---\n{string.Join('\n', Plugin.StderrLines)}");
        // When the block arrived: parsing 30,000 lines in this debug build takes a second of its own.
        var arrivedAfter = Stopwatch.GetElapsedTime(started);
        return new Gather(text, Blocks.Parse(text), arrivedAfter, () => Plugin.StderrLines);
    }

    /// <summary>One request and its block.</summary>
    public async Task<Gather> GatherAsync(TimeSpan? limit = null)
    {
        var started = Stopwatch.GetTimestamp();
        await RequestAsync();
        return await NextAsync(limit, started);
    }

    /// <summary>
    /// Closes stdin as Telegraf does on shutdown and checks how the process ended: promptly, with exit
    /// code 0, nothing half-written left on stdout, and every stderr line a single Telegraf-prefixed record.
    /// Returns all of stderr.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        Plugin.CloseStdin();
        Assert.Null(await _blocks.NextBlockAsync(TimeSpan.FromSeconds(15)));
        var exitCode = await Plugin.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var stderr = Plugin.StderrLines;
        Assert.True(exitCode == 0, $"exit code {exitCode}\n--- stderr ---\n{string.Join('\n', stderr)}");
        Assert.All(stderr, ExecdContractTests.AssertTelegrafLogLine);
        return stderr;
    }

    public ValueTask DisposeAsync() => Plugin.DisposeAsync();
}

/// <summary>One gather's block as Telegraf would have parsed it.</summary>
internal sealed record Gather(string Text, IReadOnlyList<ParsedLine> Lines, TimeSpan Elapsed, Func<IReadOnlyList<string>> Stderr)
{
    public ParsedLine Collector => Blocks.Collector(Lines);

    public long Errors => Collector.Int("errors");

    public bool Partial => Collector.Int("partial") == 1;

    public long WorkerRestarts => Collector.Int("worker_restarts");

    public IEnumerable<ParsedLine> Measurement(string name) => Lines.Where(l => l.Measurement == name);

    /// <summary>The block, then the plugin's stderr as far as it has arrived: for failure messages.</summary>
    public override string ToString() => $"{Text}--- stderr so far ---\n{string.Join('\n', Stderr())}";
}
