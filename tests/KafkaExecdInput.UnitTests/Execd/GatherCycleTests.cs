using System.Globalization;
using System.Text;
using KafkaExecdInput.Collection;
using KafkaExecdInput.Execd;
using KafkaExecdInput.History;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.UnitTests.Collection;
using KafkaExecdInput.UnitTests.Support;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KafkaExecdInput.UnitTests.Execd;

/// <summary>One gather from request to bytes, in process: scripted fake workers behind the real collector, the real metric families.</summary>
public class GatherCycleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T12:00:00Z", CultureInfo.InvariantCulture));
    private readonly RecordingLogger _logger = new();

    [Fact]
    public async Task A_complete_gather_writes_every_line_at_the_time_it_started_and_logs_no_error()
    {
        var startedAtNs = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var (cycle, _) = Cycle(_ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups("g"), Parts.Offsets("t", "g"), Parts.Watermarks("t"))
            with { Takes = TimeSpan.FromMilliseconds(1500) });

        var complete = await cycle.RunAsync(CancellationToken.None);

        Assert.True(complete);
        var lines = Lines(cycle);
        Assert.Contains("kafka brokers=1i " + startedAtNs, lines);
        Assert.Contains("kafka_consumergroup,consumergroup=g,partition=0,topic=t current_offset=5i,lag=5i " + startedAtNs, lines);
        Assert.All(lines, line => Assert.EndsWith(" " + startedAtNs, line, StringComparison.Ordinal));
        var collector = Assert.Single(lines, l => l.StartsWith("kafka_collector ", StringComparison.Ordinal));
        Assert.Contains("gather_duration_seconds=1.5,errors=0i,", collector, StringComparison.Ordinal);
        Assert.Contains("partial=0i,worker_restarts=0i,workers_abandoned=0i ", collector, StringComparison.Ordinal);
        Assert.DoesNotContain(_logger.Records, r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_partial_gather_still_writes_what_was_read_and_logs_one_error_line_naming_the_first_errors()
    {
        var errors = Enumerable.Range(1, GatherCycle.ErrorsInSummary + 2).Select(i => new GatherError($"source{i}", $"message {i}")).ToList();
        var (cycle, _) = Cycle(_ => new FakeReply(WorkerOutcome.Completed, [Parts.Metadata("t"), Parts.Groups(), Parts.Watermarks("t")], errors));

        var complete = await cycle.RunAsync(CancellationToken.None);

        Assert.False(complete);
        var lines = Lines(cycle);
        Assert.Contains(lines, l => l.StartsWith("kafka brokers=1i ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("kafka_topic_partition,partition=0,topic=t ", StringComparison.Ordinal));
        Assert.Contains($"errors={errors.Count}i,", Assert.Single(lines, l => l.StartsWith("kafka_collector ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("partial=1i", lines[^1], StringComparison.Ordinal);

        var error = Assert.Single(_logger.Records, r => r.Level == LogLevel.Error).Message;
        Assert.Equal(
            $"collection incomplete, {errors.Count} error(s), what was read is still written: " +
            string.Join("; ", errors.Take(GatherCycle.ErrorsInSummary).Select(e => $"{e.Source}: {e.Message}")) +
            "; and 2 more (log_level = \"debug\" lists them)",
            error);
        Assert.Equal(
            errors.Skip(GatherCycle.ErrorsInSummary).Select(e => $"collection error: {e.Source}: {e.Message}"),
            _logger.Records.Where(r => r.Level == LogLevel.Debug && r.Message.StartsWith("collection error", StringComparison.Ordinal)).Select(r => r.Message));
    }

    [Fact]
    public async Task A_gather_a_worker_crash_interrupted_and_a_new_worker_finished_is_complete_and_counts_the_restart()
    {
        var (cycle, workers) = Cycle(
            _ => FakeReply.Dies(Parts.Metadata("t"), Parts.Groups("g")),
            _ => FakeReply.Completed(Parts.Offsets("t", "g"), Parts.Watermarks("t")));

        var complete = await cycle.RunAsync(CancellationToken.None);

        Assert.True(complete);
        Assert.Equal(2, workers.Started.Count);
        var lines = Lines(cycle);
        Assert.Contains(lines, l => l.StartsWith("kafka_consumergroup,consumergroup=g,partition=0,topic=t current_offset=5i,lag=5i ", StringComparison.Ordinal));
        Assert.Contains("partial=0i,worker_restarts=1i,workers_abandoned=0i ", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(_logger.Records, r => r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task The_step_before_a_gather_runs_first_and_the_output_is_replaced_by_the_next_gather()
    {
        var workers = new FakeWorkers(
            _time,
            _ => FakeReply.Completed(Parts.Metadata("first"), Parts.Groups(), Parts.Watermarks("first")),
            _ => FakeReply.Completed(Parts.Metadata("second"), Parts.Groups(), Parts.Watermarks("second")));
        var requestsSeenBefore = new List<int>();
        var withStep = NewCycle(workers, _ =>
        {
            requestsSeenBefore.Add(workers.Requests.Count);
            return Task.CompletedTask;
        });

        await withStep.RunAsync(CancellationToken.None);
        await withStep.RunAsync(CancellationToken.None);

        Assert.Equal([0, 1], requestsSeenBefore);
        Assert.DoesNotContain(Lines(withStep), l => l.Contains("topic=first", StringComparison.Ordinal));
        Assert.Contains(Lines(withStep), l => l.StartsWith("kafka_topic,topic=second ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 10)] // nothing built yet: the whole timeout
    [InlineData(0.7, 9.3)] // the block took 0.7 s: the collection leaves room for the next one
    [InlineData(8, 5)] // never less than half the timeout
    public void The_collection_leaves_room_for_building_the_block_by_the_deadline(double lastBlockSeconds, double budgetSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(budgetSeconds), GatherCycle.CollectionBudget(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(lastBlockSeconds)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_warm_up_writes_its_block_only_when_a_request_came_before_its_snapshot_was_in(bool requested)
    {
        // Enough topics that the block passes the spill threshold: the discarded block must not reach stdout either.
        var topics = Enumerable.Range(0, 5_000).Select(t => $"topic-{t:D5}").ToArray();
        var workers = new FakeWorkers(_time,
            _ => FakeReply.Completed(Parts.Metadata(topics), Parts.Groups(), Parts.Watermarks(topics[0])),
            _ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups(), Parts.Watermarks("t")));
        using var stdout = new MemoryStream();
        var cycle = NewCycle(workers, output: stdout);
        var askedAfterCollection = false;

        var delivered = await cycle.WarmUpAsync(() => { askedAfterCollection = workers.Requests.Count == 1; return requested; }, CancellationToken.None);

        Assert.Equal(requested, delivered);
        Assert.True(askedAfterCollection);
        var written = Encoding.UTF8.GetString([.. stdout.ToArray(), .. cycle.Output.Span]);
        if (requested)
        {
            Assert.True(stdout.Length > 0);
            Assert.Contains("kafka brokers=1i ", written, StringComparison.Ordinal);
            Assert.Contains("kafka_collector ", written, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("", written);
        }

        // The next gather writes as usual.
        Assert.True(await cycle.RunAsync(CancellationToken.None));
        Assert.Contains(Lines(cycle), l => l.StartsWith("kafka_topic,topic=t partitions=1i ", StringComparison.Ordinal));
    }

    private (GatherCycle Cycle, FakeWorkers Workers) Cycle(params Func<GatherRequest, FakeReply>[] script)
    {
        var workers = new FakeWorkers(_time, script);
        return (NewCycle(workers), workers);
    }

    private GatherCycle NewCycle(FakeWorkers workers, Func<CancellationToken, Task>? beforeGather = null, Stream? output = null) => new(
        new Collector(workers, TimeSpan.FromSeconds(6), _logger, new GatherHistory(_time), _time),
        new MetricBuilder(_logger), Timeout, _logger, _time, beforeGather, output: output);

    private static List<string> Lines(GatherCycle cycle) =>
        [.. Encoding.UTF8.GetString(cycle.Output.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
