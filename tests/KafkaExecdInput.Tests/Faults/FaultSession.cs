using KafkaExecdInput.Tests.Support;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// An <see cref="ExecdSession"/> that checks, for every gather of a fault case, what must hold whatever
/// the fault: the block parses strictly (only complete, valid lines) and kafka_collector accounts for
/// it. When the session stops it checks the process: alive until stdin closed, exit 0, every stderr
/// line single and prefixed, one E! summary per incomplete gather and no flood besides, and any
/// worker restart reported. Each gather is written to the test output (the fault matrix's "observed").
/// </summary>
internal sealed class FaultSession : IAsyncDisposable
{
    private readonly ExecdSession _session;
    private readonly ITestOutputHelper? _output;
    private readonly List<Gather> _gathers = [];

    private FaultSession(ExecdSession session, ITestOutputHelper? output)
    {
        _session = session;
        _output = output;
    }

    public PluginProcess Plugin => _session.Plugin;

    public IReadOnlyList<Gather> Gathers => _gathers;

    public static FaultSession Start(PluginConfigFile config, ITestOutputHelper? output = null, IReadOnlyDictionary<string, string>? environment = null) =>
        new(ExecdSession.Start(config.Path, environment), output);

    public Task RequestAsync() => _session.RequestAsync();

    public async Task<Gather> GatherAsync(TimeSpan? limit = null) => Record(await _session.GatherAsync(limit));

    /// <summary>The next block; its Elapsed counts from <paramref name="startedAt"/> (a Stopwatch timestamp) when given.</summary>
    public async Task<Gather> NextAsync(TimeSpan? limit = null, long? startedAt = null) => Record(await _session.NextAsync(limit, startedAt));

    /// <summary>Stops the plugin as Telegraf does and checks how it ended and what it logged; returns stderr.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        var stderr = await _session.StopAsync();
        var summaries = stderr.Count(IsGatherSummary);
        var partial = _gathers.Count(g => g.Partial);
        Assert.True(summaries == partial,
            $"{summaries} E! summaries for {partial} incomplete gathers\n--- stderr ---\n{string.Join('\n', stderr)}");

        var restarts = _gathers.Count == 0 ? 0 : _gathers[^1].WorkerRestarts;
        var otherErrors = stderr.Count(l => l.StartsWith("E! ", StringComparison.Ordinal) && !IsGatherSummary(l));
        // Besides the summaries, only a dying worker's own last words (e.g. librdkafka's assertion) may be errors.
        Assert.True(otherErrors <= restarts,
            $"{otherErrors} E! lines besides the summaries with {restarts} worker restarts\n--- stderr ---\n{string.Join('\n', stderr)}");
        if (restarts > 0)
        {
            Assert.Contains(stderr, l => l.Contains("worker process died", StringComparison.Ordinal));
        }
        _output?.WriteLine($"stderr: {stderr.Count} lines, {summaries} E! summaries, {otherErrors} other E!, {stderr.Count(l => l.StartsWith("W! ", StringComparison.Ordinal))} W!");
        foreach (var line in stderr.Where(l => !l.StartsWith("I! ", StringComparison.Ordinal)))
        {
            _output?.WriteLine("  " + (line.Length > 1000 ? line[..1000] + "…" : line));
        }
        return stderr;
    }

    private static bool IsGatherSummary(string line) => line.StartsWith("E! collection incomplete", StringComparison.Ordinal);

    private Gather Record(Gather gather)
    {
        FaultCluster.AssertAccounted(gather);
        _gathers.Add(gather);
        _output?.WriteLine(
            $"gather {_gathers.Count}: {gather.Elapsed.TotalSeconds:0.00}s errors={gather.Errors} partial={(gather.Partial ? 1 : 0)} " +
            $"worker_restarts={gather.WorkerRestarts} lines={gather.Lines.Count - 1} partitions_with_offsets={gather.Measurement("kafka_topic_partition").Count(l => l.Field("current_offset") is long)} " +
            $"groups={FaultCluster.GroupsListed(gather).Count} groups_with_offsets={FaultCluster.GroupsWithOffsets(gather).Count}");
        return gather;
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
