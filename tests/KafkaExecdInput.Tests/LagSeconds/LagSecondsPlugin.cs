using System.Text;
using KafkaExecdInput.Collection;
using KafkaExecdInput.Configuration;
using KafkaExecdInput.History;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Logging;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.UnitTests.Support;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Tests.LagSeconds;

/// <summary>
/// The plugin's parent side in-process (Collector with a real worker process, so the real
/// Confluent.Kafka client reads the test cluster) with the history on a clock the test moves: the
/// plugin's "now" is what the test says, record timestamps are what the test cluster was told.
/// </summary>
internal sealed class LagSecondsPlugin : IAsyncDisposable
{
    private readonly ILoggerFactory _logging;
    private readonly Collector _collector;
    private readonly MetricBuilder _metrics;
    private readonly LineProtocolWriter _writer = new();

    private LagSecondsPlugin(ILoggerFactory logging, Collector collector, ManualClock clock)
    {
        _logging = logging;
        _collector = collector;
        Clock = clock;
        _metrics = new MetricBuilder(logging.CreateLogger("metrics"));
    }

    public ManualClock Clock { get; }

    public static async Task<LagSecondsPlugin> StartAsync(string bootstrapServers, bool exact, DateTimeOffset start)
    {
        var config = PluginConfig.ForBrokers(bootstrapServers.Split(',')) with { LogLevel = LogLevel.Warning, Timeout = TimeSpan.FromSeconds(20) };
        config = config.With(Options.LagSecondsExact, exact);
        var logging = PluginLogging.Create(config.LogLevel);
        var client = LibrdkafkaSettings.Build(config);
        var clock = new ManualClock(start);
        var collector = new Collector(WorkerLaunch.ForThisExecutable(client.Environment), ReaderSettings.For(config, client),
            logging.CreateLogger("kafka-execd-input"), new GatherHistory(clock));
        await collector.StartAsync(CancellationToken.None);
        return new LagSecondsPlugin(logging, collector, clock);
    }

    /// <summary>One gather at the clock's time, as the lines Telegraf would parse.</summary>
    public async Task<IReadOnlyList<ParsedLine>> GatherAsync()
    {
        var snapshot = await _collector.CollectAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        _writer.Reset();
        _metrics.Write(snapshot, new GatherSummary(TimeSpan.Zero, _collector.WorkerRestarts), Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, _writer);
        Errors = snapshot.Errors;
        return StrictLineParser.ParseAll(_writer.WrittenMemory.ToArray());
    }

    public IReadOnlyList<GatherError> Errors { get; private set; } = [];

    public int WorkerRestarts => _collector.WorkerRestarts;

    public async ValueTask DisposeAsync()
    {
        await _collector.DisposeAsync();
        _logging.Dispose();
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal static class LagLines
{
    /// <summary>The group-partition's lag in seconds and its source, or null when the plugin wrote none.</summary>
    public static (double Seconds, long Source)? LagSeconds(this IReadOnlyList<ParsedLine> lines, string group, string topic, int partition)
    {
        var found = lines.Where(l => l.Measurement == "kafka_consumergroup_lag" && l.Tags.Count == 3
            && l.Tag("consumergroup") == group && l.Tag("topic") == topic && l.Tag("partition") == partition.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(found.Count <= 1, $"{found.Count} lag lines for {group} {topic}/{partition}");
        return found.Count == 0 ? null : ((double)found[0].Field("seconds")!, (long)found[0].Field("seconds_source")!);
    }

    /// <summary>The group-partition's lag status code and complete, or null when the plugin wrote none.</summary>
    public static (long Code, double Complete)? LagStatus(this IReadOnlyList<ParsedLine> lines, string group, string topic, int partition)
    {
        var found = lines.Where(l => l.Measurement == "kafka_consumergroup_partition_lag_status"
            && l.Tag("consumergroup") == group && l.Tag("topic") == topic && l.Tag("partition") == partition.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(found.Count <= 1, $"{found.Count} lag status lines for {group} {topic}/{partition}");
        return found.Count == 0 ? null : ((long)found[0].Field("status_code")!, (double)found[0].Field("complete")!);
    }

    public static string Dump(this IReadOnlyList<ParsedLine> lines) =>
        new StringBuilder().AppendJoin('\n', lines
            .Where(l => l.Measurement.StartsWith("kafka_consumergroup", StringComparison.Ordinal))
            .Select(l => $"{l.Measurement} {string.Join(",", l.Tags.Select(t => $"{t.Key}={t.Value}"))} {string.Join(",", l.Fields.Select(f => $"{f.Key}={f.Value}"))}")).ToString();
}
