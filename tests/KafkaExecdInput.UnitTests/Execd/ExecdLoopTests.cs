using System.Text;
using KafkaExecdInput.Cli;
using KafkaExecdInput.Execd;
using KafkaExecdInput.UnitTests.Kafka;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.UnitTests.Execd;

/// <summary>Telegraf's execd contract (design.md §3), in process: fake stdin, fake gathers, fake clock.</summary>
public class ExecdLoopTests
{
    private readonly TimerWatchingTimeProvider _time = new();
    private readonly FakeStdin _stdin = new();
    private readonly MemoryStream _stdout = new();
    private readonly FakeGatherCycle _cycle;

    public ExecdLoopTests() => _cycle = new FakeGatherCycle(_time);

    private string Written => Encoding.UTF8.GetString(_stdout.ToArray());

    [Fact]
    public async Task Any_number_of_lines_during_a_gather_coalesce_into_one_pending_gather()
    {
        var run = Run(interval: null);
        _stdin.Send("\n");
        await _cycle.WaitForStartedAsync(1);
        for (var i = 0; i < 5; i++)
        {
            _stdin.Send("\n");
        }
        _stdin.Send("any text\nis a request too\n");
        // One read per line sent, and one more that waits: every line has been taken as a request.
        await _stdin.WaitForReadsAsync(1 + 6 + 1);

        _cycle.Finish(1);
        await _cycle.WaitForStartedAsync(2);
        _cycle.Finish(2);
        await _cycle.WaitForCompletedAsync(2);
        _stdin.EndOfInput();

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal(2, _cycle.StartedAt.Count);
        Assert.Equal("gather 1\ngather 2\n", Written);
    }

    [Fact]
    public async Task Each_block_is_on_stdout_before_the_gather_is_told_to_give_back_its_memory()
    {
        _cycle.ReleaseAll = true;
        _cycle.Stdout = _stdout;
        var run = Run(interval: null);
        for (var gather = 1; gather <= 2; gather++)
        {
            _stdin.Send("\n");
            await _cycle.WaitForCompletedAsync(gather);
        }
        _stdin.EndOfInput();

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal(["gather 1\n", "gather 1\ngather 2\n"], _cycle.StdoutAtOutputWritten);
    }

    [Fact]
    public async Task A_line_after_a_gather_ended_starts_another()
    {
        _cycle.ReleaseAll = true;
        var run = Run(interval: null);
        for (var gather = 1; gather <= 3; gather++)
        {
            _stdin.Send("\n");
            await _cycle.WaitForCompletedAsync(gather);
        }
        _stdin.EndOfInput();

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal("gather 1\ngather 2\ngather 3\n", Written);
    }

    [Fact]
    public async Task With_an_interval_it_gathers_at_start_and_once_per_period()
    {
        var period = TimeSpan.FromSeconds(30);
        _cycle.ReleaseAll = true;
        var run = Run(period);
        await _cycle.WaitForCompletedAsync(1);
        await _time.WaitForTimersAsync(1);

        _time.Advance(period - TimeSpan.FromMilliseconds(1));
        Assert.Single(_cycle.StartedAt);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _cycle.WaitForCompletedAsync(2);
        _time.Advance(period);
        await _cycle.WaitForCompletedAsync(3);
        _stdin.EndOfInput();

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal([TimeSpan.Zero, period, 2 * period], _cycle.StartedAt);
        Assert.Equal("gather 1\ngather 2\ngather 3\n", Written);
    }

    [Fact]
    public async Task Ticks_and_lines_during_a_gather_still_coalesce_into_one_pending_gather()
    {
        var period = TimeSpan.FromSeconds(30);
        var run = Run(period);
        await _cycle.WaitForStartedAsync(1);
        await _time.WaitForTimersAsync(1);
        _time.Advance(3 * period);
        _stdin.Send("\n");
        await _stdin.WaitForReadsAsync(2);

        _cycle.Finish(1);
        await _cycle.WaitForStartedAsync(2);
        _cycle.Finish(2);
        await _cycle.WaitForCompletedAsync(2);
        _stdin.EndOfInput();

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal(2, _cycle.StartedAt.Count);
    }

    [Fact]
    public async Task When_stdin_closes_a_running_gather_gets_the_grace_then_is_cancelled()
    {
        var run = Run(interval: null);
        _stdin.Send("\n");
        await _cycle.WaitForStartedAsync(1);
        _stdin.EndOfInput();
        await _time.WaitForTimersAsync(1);

        _time.Advance(ExecdLoop.GraceAfterStdinClosed - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_cycle.CancelledAt);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal([ExecdLoop.GraceAfterStdinClosed], _cycle.CancelledAt);
        // What the cancelled gather had is still written.
        Assert.Equal("gather 1\n", Written);
    }

    [Fact]
    public async Task A_closed_stdout_ends_the_loop_with_its_own_exit_code()
    {
        _cycle.ReleaseAll = true;
        var logger = new RecordingLogger();
        var run = new ExecdLoop(_cycle, new ClosedStdout(), logger, _time).RunAsync(_stdin, null, CancellationToken.None);
        _stdin.Send("\n");

        Assert.Equal(ExitCodes.OutputClosed, await run.WaitAsync(TestWait.Limit));
        Assert.Contains(logger.Records, r => r.Message.StartsWith("stdout was closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stdout_that_fails_while_a_block_is_built_ends_the_loop_with_the_same_exit_code()
    {
        _cycle.ReleaseAll = true;
        _cycle.OutputFails = true;
        var logger = new RecordingLogger();
        var run = new ExecdLoop(_cycle, _stdout, logger, _time).RunAsync(_stdin, null, CancellationToken.None);
        _stdin.Send("\n");

        Assert.Equal(ExitCodes.OutputClosed, await run.WaitAsync(TestWait.Limit));
        Assert.Single(logger.Records, r => r.Message.StartsWith("stdout was closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_shutdown_signal_ends_a_waiting_loop()
    {
        using var shutdown = new CancellationTokenSource();
        var run = new ExecdLoop(_cycle, _stdout, new RecordingLogger(), _time).RunAsync(_stdin, null, shutdown.Token);
        await _stdin.WaitForReadsAsync(1);

        await shutdown.CancelAsync();

        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TestWait.Limit));
        Assert.Empty(_cycle.StartedAt);
    }

    [Fact]
    public async Task The_warm_up_gather_runs_before_any_request_and_writes_nothing_when_none_came_meanwhile()
    {
        var run = Run(interval: null, warmUp: true);
        await _cycle.WaitForStartedAsync(1);
        _cycle.Finish(1);
        await _cycle.WaitForCompletedAsync(1);

        _stdin.Send("\n");
        await _cycle.WaitForStartedAsync(2);
        _cycle.Finish(2);
        await _cycle.WaitForCompletedAsync(2);
        _stdin.EndOfInput();

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal([false], _cycle.WarmUpRequested);
        Assert.Equal("gather 2\n", Written);
    }

    [Fact]
    public async Task A_request_that_arrives_during_the_warm_up_is_answered_by_it_not_by_another_gather()
    {
        var run = Run(interval: null, warmUp: true);
        await _cycle.WaitForStartedAsync(1);
        _stdin.Send("\n");
        await _stdin.WaitForReadsAsync(2);
        _cycle.Finish(1);
        await _cycle.WaitForCompletedAsync(1);
        _stdin.EndOfInput();

        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal([true], _cycle.WarmUpRequested);
        Assert.Single(_cycle.StartedAt);
        Assert.Equal("gather 1\n", Written);
    }

    private Task<int> Run(TimeSpan? interval, bool warmUp = false) =>
        Task.Run(() => new ExecdLoop(_cycle, _stdout, new RecordingLogger(), _time, warmUp).RunAsync(_stdin, interval, CancellationToken.None))
            .WaitAsync(TestWait.Limit);
}
