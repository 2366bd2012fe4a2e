using KafkaExecdInput.Collection;
using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.UnitTests.Support;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KafkaExecdInput.UnitTests.Collection;

/// <summary>The collector's rules across worker crashes, hangs and retirements, with scripted fake workers and a fake clock.</summary>
public class CollectorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AdminCallTimeout = TimeSpan.FromSeconds(6);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RecordingLogger _logger = new();

    [Fact]
    public async Task A_first_request_asks_for_everything_with_the_whole_budget_and_a_hard_limit_that_leaves_time_to_write_the_block_by_the_deadline()
    {
        var workers = Workers(_ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups("g"), Parts.Offsets("t", "g"), Parts.Watermarks("t")));
        await using var collector = NewCollector(workers);

        var snapshot = await collector.CollectAsync(Timeout, CancellationToken.None);

        var (request, hardLimit, _) = Assert.Single(workers.Requests);
        Assert.Equal(new GatherRequest(request.GatherId, Timeout, true, true, OffsetGroupSelection.All, true, request.KnownGroups, WantClusterDescription: true), request);
        Assert.Empty(request.KnownGroups);
        // Not Timeout + AdminCallTimeout: an admin call still running at the deadline is not waited for (issue 11).
        Assert.Equal(Timeout + Collector.ReplyGrace, hardLimit);
        Assert.Equal(Timeout + Collector.BlockDeadlineSlack, hardLimit + Collector.BlockWriteAllowance);
        Assert.True(Collector.ReplyGrace > GatherRequest.AnswerGrace, "a worker that answers at its budget must never be killed for it");
        Assert.False(snapshot.IsPartial);
        Assert.Equal([new CommittedOffset("t", 0, 5)], Assert.Single(snapshot.Groups!).CommittedOffsets);
        Assert.Equal(0, collector.WorkerRestarts);
    }

    [Fact]
    public async Task A_worker_that_dies_mid_gather_is_replaced_and_the_gather_resumes_with_only_what_is_missing()
    {
        var workers = Workers(
            _ => FakeReply.Dies(Parts.Metadata("t"), Parts.Groups("g1", "g2"), Parts.Offsets("t", "g1")) with { Takes = TimeSpan.FromSeconds(3) },
            _ => FakeReply.Completed(Parts.Offsets("t", "g2"), Parts.Watermarks("t")));
        await using var collector = NewCollector(workers);

        var snapshot = await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Equal([1, 2], workers.Requests.Select(r => r.Worker));
        var resume = workers.Requests[1].Request;
        Assert.False(resume.WantMetadata);
        Assert.False(resume.WantGroups);
        Assert.True(resume.WantWatermarks);
        Assert.Equal(["g2"], Assert.IsType<OffsetGroupSelection.These>(resume.OffsetGroups).GroupIds);
        Assert.Equal(Timeout - TimeSpan.FromSeconds(3), resume.Budget);
        Assert.True(workers.Started[0].Disposed);

        Assert.False(snapshot.IsPartial);
        Assert.All(snapshot.Groups!, g => Assert.NotNull(g.CommittedOffsets));
        Assert.Equal(1, snapshot.Watermarks!.Count);
        Assert.Equal(1, collector.WorkerRestarts);
        var warning = Assert.Single(_logger.Warnings);
        Assert.Contains(FakeWorkers.CrashExit, warning, StringComparison.Ordinal);
        Assert.Contains("fetching committed offsets", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replacement_worker_mid_gather_may_take_only_what_is_left_of_the_deadline_to_start()
    {
        var workers = Workers(
            _ => FakeReply.Dies(Parts.Metadata("t")) with { Takes = TimeSpan.FromSeconds(3) },
            _ => FakeReply.Completed(Parts.Groups(), Parts.Watermarks("t")));
        await using var collector = NewCollector(workers);
        await collector.StartAsync(CancellationToken.None);

        await collector.CollectAsync(Timeout, CancellationToken.None);

        // The first start is before any gather; a start inside a gather must not outlive its deadline.
        Assert.True(Timeout - TimeSpan.FromSeconds(3) < Collector.StartTimeout);
        Assert.Equal([Collector.StartTimeout, Timeout - TimeSpan.FromSeconds(3)], workers.StartLimits);
    }

    [Fact]
    public async Task A_worker_that_keeps_dying_costs_the_committed_offsets_on_the_last_attempt_and_the_gather_is_partial()
    {
        var workers = Workers(
            _ => FakeReply.Dies(Parts.Metadata("t"), Parts.Groups("g1", "g2")),
            _ => FakeReply.Dies(),
            _ => FakeReply.Dies());
        await using var collector = NewCollector(workers);

        var snapshot = await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Equal(Collector.MaxAttempts, workers.Requests.Count);
        Assert.Equal(["g1", "g2"], Assert.IsType<OffsetGroupSelection.These>(workers.Requests[1].Request.OffsetGroups).GroupIds);
        Assert.IsType<OffsetGroupSelection.None>(workers.Requests[^1].Request.OffsetGroups);
        Assert.True(snapshot.IsPartial);
        Assert.Equal(
            [
                new GatherError("offsets", "committed offsets of 2 groups not read: the worker died while fetching them"),
                new GatherError("worker", $"the worker process died ({FakeWorkers.CrashExit}) while fetching committed offsets; what it had not sent is missing"),
            ],
            snapshot.Errors);
        Assert.NotNull(snapshot.Metadata);
        Assert.Equal(2, snapshot.Groups!.Count);
        Assert.All(snapshot.Groups!, g => Assert.Null(g.CommittedOffsets));
        Assert.Equal(Collector.MaxAttempts, collector.WorkerRestarts);
    }

    [Fact]
    public async Task A_death_too_close_to_the_deadline_is_not_resumed()
    {
        var workers = Workers(_ => FakeReply.Dies(Parts.Metadata("t")) with { Takes = Timeout - Collector.MinimumResumeBudget + TimeSpan.FromMilliseconds(1) });
        await using var collector = NewCollector(workers);

        var snapshot = await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Single(workers.Requests);
        Assert.Equal("worker", Assert.Single(snapshot.Errors).Source);
        Assert.Contains("listing consumer groups", snapshot.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(1, collector.WorkerRestarts);
    }

    [Fact]
    public async Task A_worker_that_does_not_answer_in_time_is_replaced_and_the_gather_is_not_resumed()
    {
        var workers = Workers(
            _ => new FakeReply(WorkerOutcome.TimedOut, [Parts.Metadata("t")]),
            _ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups(), Parts.Watermarks("t")));
        await using var collector = NewCollector(workers);

        var first = await collector.CollectAsync(Timeout, CancellationToken.None);
        var second = await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Equal(
            [new GatherError("gather", "no answer from the worker within the timeout while listing consumer groups; it was restarted")],
            first.Errors);
        Assert.NotNull(first.Metadata); // what arrived before the hard limit is kept
        Assert.True(first.IsPartial);
        Assert.True(workers.Started[0].Retired);
        Assert.Equal([1, 2], workers.Requests.Select(r => r.Worker));
        Assert.True(workers.Requests[1].Request.WantMetadata); // a new gather starts from nothing
        Assert.False(second.IsPartial);
        Assert.Equal(1, collector.WorkerRestarts);
        Assert.Equal(1, collector.WorkersAbandoned);
        await collector.DisposeAsync();
        Assert.True(workers.Started[0].Disposed); // reaped in the background, not before the block
    }

    [Fact]
    public async Task A_worker_that_dies_is_restarted_but_not_counted_as_abandoned()
    {
        var workers = Workers(
            _ => FakeReply.Dies(Parts.Metadata("t")) with { Takes = TimeSpan.FromSeconds(1) },
            _ => FakeReply.Completed(Parts.Groups(), Parts.Offsets("t"), Parts.Watermarks("t")));
        await using var collector = NewCollector(workers);

        await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Equal(1, collector.WorkerRestarts);
        Assert.Equal(0, collector.WorkersAbandoned);
    }

    [Fact]
    public async Task A_shutdown_mid_gather_is_reported_as_such()
    {
        var workers = Workers(_ => new FakeReply(WorkerOutcome.Cancelled));
        await using var collector = NewCollector(workers);

        var snapshot = await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Equal([new GatherError("gather", "stopped while reading metadata and consumer groups: the plugin is shutting down")], snapshot.Errors);
        Assert.Single(workers.Requests);
    }

    [Fact]
    public async Task Groups_of_one_gather_are_passed_back_as_known_groups_and_survive_a_worker_crash()
    {
        var workers = Workers(
            _ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups("a", "b"), Parts.Offsets("t", "a", "b"), Parts.Watermarks("t")),
            _ => FakeReply.Dies(),
            _ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups("b"), Parts.Offsets("t", "b"), Parts.Watermarks("t")),
            _ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups("b"), Parts.Offsets("t", "b"), Parts.Watermarks("t")));
        await using var collector = NewCollector(workers);

        await collector.CollectAsync(Timeout, CancellationToken.None);
        await collector.CollectAsync(Timeout, CancellationToken.None);
        await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Equal([[], ["a", "b"], ["a", "b"], ["b"]], workers.Requests.Select(r => r.Request.KnownGroups.ToArray()));
        Assert.Equal([1, 1, 2, 2], workers.Requests.Select(r => r.Worker));
        var ids = workers.Requests.Select(r => r.Request.GatherId).ToList();
        Assert.Equal(ids.Distinct().Order(), ids); // a late answer to an older request is never taken for the current one
    }

    [Fact]
    public async Task A_worker_that_asks_to_be_retired_is_replaced_before_the_next_gather_without_counting_as_a_restart()
    {
        var workers = Workers(
            _ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups(), Parts.Watermarks("t")) with { ReplaceWorker = true },
            _ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups(), Parts.Watermarks("t")));
        var collector = NewCollector(workers);

        var first = await collector.CollectAsync(Timeout, CancellationToken.None);
        Assert.True(workers.Started[0].Retired);
        var second = await collector.CollectAsync(Timeout, CancellationToken.None);
        await collector.DisposeAsync();

        Assert.False(first.IsPartial);
        Assert.False(second.IsPartial);
        Assert.Equal([1, 2], workers.Requests.Select(r => r.Worker));
        Assert.All(workers.Started, w => Assert.True(w.Disposed));
        Assert.Equal(0, collector.WorkerRestarts);
        Assert.Equal(workers.Started.Sum(w => w.GatherBytesReceived), collector.GatherBytesReceived); // the retired worker's bytes still count
    }

    [Fact]
    public async Task A_worker_that_cannot_start_makes_the_gather_partial_with_the_reason_and_the_next_gather_tries_again()
    {
        var workers = Workers(_ => FakeReply.Completed(Parts.Metadata("t"), Parts.Groups(), Parts.Watermarks("t")));
        workers.NextStartFailure = new WorkerStartException("the worker process ended during start-up (exit code 3)", isConfigurationError: false);
        await using var collector = NewCollector(workers);

        var failed = await collector.CollectAsync(Timeout, CancellationToken.None);
        var next = await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Equal([new GatherError("worker", "could not start the worker process: the worker process ended during start-up (exit code 3)")], failed.Errors);
        Assert.Null(failed.Metadata);
        Assert.Single(workers.Requests);
        Assert.False(next.IsPartial);
    }

    [Fact]
    public async Task The_history_sees_every_snapshot_and_outlives_the_workers()
    {
        var workers = Workers(
            _ => FakeReply.Dies(Parts.Metadata("t"), Parts.Groups("g")),
            _ => FakeReply.Completed(Parts.Offsets("t", "g"), Parts.Watermarks("t")));
        var history = new GatherHistory(_time);
        await using var collector = NewCollector(workers, history);

        await collector.CollectAsync(Timeout, CancellationToken.None);

        Assert.Same(history, collector.History);
        Assert.Equal(["g"], history.KnownGroups);
    }

    private FakeWorkers Workers(params Func<GatherRequest, FakeReply>[] script) => new(_time, script);

    private Collector NewCollector(FakeWorkers workers, GatherHistory? history = null) =>
        new(workers, AdminCallTimeout, _logger, history ?? new GatherHistory(_time), _time);
}
