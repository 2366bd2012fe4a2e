using System.Threading.Channels;
using KafkaExecdInput.Cli;
using KafkaExecdInput.LineProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Execd;

/// <summary>
/// Telegraf's execd contract (design.md §3): every line on stdin asks for one gather; requests that
/// arrive while a gather runs coalesce into at most one more; each gather's output is written as it
/// is built (GatherCycle's output) and flushed when its block is done; stdin EOF or a signal ends the
/// process promptly. With <paramref name="warmUp"/>, one gather runs before the first request
/// (GatherCycle.WarmUpAsync), and answers that request if it came while the gather ran.
/// </summary>
internal sealed class ExecdLoop(IGatherCycle cycle, Stream stdout, ILogger logger, TimeProvider? time = null, bool warmUp = false)
{
    /// <summary>How long an in-flight gather may go on after stdin closes; Telegraf waits 5 s before SIGTERM.</summary>
    internal static readonly TimeSpan GraceAfterStdinClosed = TimeSpan.FromSeconds(3);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<int> RunAsync(Stream stdin, TimeSpan? interval, CancellationToken shutdown)
    {
        // Capacity one, extra writes dropped: a burst of requests during a gather becomes one pending gather.
        var requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        // Not disposed: the stdin reader may still cancel them after this method returns.
        var stopping = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var gatherCancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);

        var stdinReader = ReadRequestsAsync(stdin, requests.Writer, stopping.Token).ContinueWith(_ =>
        {
            logger.LogDebug("stdin closed: stopping");
            stopping.Cancel();
            _ = Task.Delay(GraceAfterStdinClosed, _time).ContinueWith(_ => gatherCancel.Cancel(), TaskScheduler.Default);
        }, TaskScheduler.Default);
        var ticker = interval is { } period ? TickAsync(period, requests.Writer, stopping.Token) : Task.CompletedTask;

        var exitCode = ExitCodes.Success;
        try
        {
            if (warmUp && !await TryWarmUpAsync(requests.Reader, gatherCancel.Token).ConfigureAwait(false))
            {
                return ExitCodes.OutputClosed;
            }
            while (!shutdown.IsCancellationRequested)
            {
                if (!requests.Reader.TryRead(out _))
                {
                    // A request that arrived before stdin closed is still served (bounded by the grace).
                    if (stopping.IsCancellationRequested)
                    {
                        break;
                    }
                    await WaitForRequestAsync(requests.Reader, stopping.Token).ConfigureAwait(false);
                    continue;
                }
                if (!await TryRunAsync(cycle, gatherCancel.Token).ConfigureAwait(false) || !await TryWriteAsync(cycle.Output).ConfigureAwait(false))
                {
                    exitCode = ExitCodes.OutputClosed;
                    break;
                }
                cycle.OutputWritten();
            }
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
        }
        _ = stdinReader; // a blocked stdin read is abandoned: the process is exiting
        return exitCode;
    }

    private static async Task WaitForRequestAsync(ChannelReader<bool> requests, CancellationToken stopping)
    {
        try
        {
            await requests.WaitToReadAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The warm-up gather: a request already waiting once its snapshot is in is taken and answered by it;
    /// false when stdout is gone (as <see cref="TryWriteAsync"/>).
    /// </summary>
    private async Task<bool> TryWarmUpAsync(ChannelReader<bool> requests, CancellationToken cancellationToken)
    {
        bool delivered;
        try
        {
            delivered = await cycle.WarmUpAsync(() => requests.TryRead(out _), cancellationToken).ConfigureAwait(false);
        }
        catch (OutputClosedException e)
        {
            LogOutputClosed(e);
            return false;
        }
        if (delivered && !await TryWriteAsync(cycle.Output).ConfigureAwait(false))
        {
            return false;
        }
        cycle.OutputWritten();
        return true;
    }

    /// <summary>Runs one gather, whose block may go to stdout while it is built; false when stdout is gone (as <see cref="TryWriteAsync"/>).</summary>
    private async Task<bool> TryRunAsync(IGatherCycle cycle, CancellationToken cancellationToken)
    {
        try
        {
            await cycle.RunAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OutputClosedException e)
        {
            LogOutputClosed(e);
            return false;
        }
    }

    /// <summary>Writes one gather's block; false when stdout is gone (EPIPE), so the process exits instead of hanging.</summary>
    private async Task<bool> TryWriteAsync(ReadOnlyMemory<byte> block)
    {
        try
        {
            await stdout.WriteAsync(block).ConfigureAwait(false);
            await stdout.FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (IOException e)
        {
            LogOutputClosed(e);
            return false;
        }
    }

    private void LogOutputClosed(IOException e) =>
        logger.LogError("stdout was closed ({Reason}): nobody reads the metrics any more, exiting", e.Message);

    private static async Task ReadRequestsAsync(Stream stdin, ChannelWriter<bool> requests, CancellationToken stopping)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer, stopping).ConfigureAwait(false)) > 0)
            {
                // Any line is a request, whatever it says; Telegraf sends a bare "\n".
                if (buffer.AsSpan(0, read).Contains((byte)'\n'))
                {
                    requests.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // A broken stdin is a closed stdin.
        }
    }

    private async Task TickAsync(TimeSpan period, ChannelWriter<bool> requests, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(period, _time);
        requests.TryWrite(true);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                requests.TryWrite(true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
