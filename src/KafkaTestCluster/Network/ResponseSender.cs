using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace KafkaTestCluster.Network;

/// <summary>
/// The sending half of one connection. A response due now, with nothing queued before it, is written at once
/// (no network latency: the path every response took before latency existed). Otherwise it is copied into a
/// queue with its due time and a writer loop sends it when due, after every response queued before it: the
/// wire keeps request order, and a round trip delays each response from its own request, so pipelined requests
/// wait one round trip together instead of one after another.
/// </summary>
internal sealed class ResponseSender
{
    private readonly Stream _stream;
    private readonly ClusterCounters _counters;
    private readonly InFlightGauge _inFlight;
    private readonly CancellationToken _closed;
    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Action _fail;
    private Task? _writer;

    /// <summary>Responses queued and not yet written. Only the serving loop increments it, so when it reads 0 the writer is idle.</summary>
    private int _queued;

    private readonly record struct Queued(byte[] Buffer, int Length, long DueTimestamp, bool EndsRequest);

    /// <param name="fail">Closes the connection when a queued write fails (the serving loop then ends).</param>
    public ResponseSender(Stream stream, ClusterCounters counters, InFlightGauge inFlight, Action fail, CancellationToken closed)
    {
        _stream = stream;
        _counters = counters;
        _inFlight = inFlight;
        _fail = fail;
        _closed = closed;
    }

    /// <summary>Sends one response frame (size prefix included) at <paramref name="dueTimestamp"/> (Stopwatch), ending one in-flight request.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, long dueTimestamp, bool endsRequest = true)
    {
        if (Volatile.Read(ref _queued) == 0 && dueTimestamp <= Stopwatch.GetTimestamp())
        {
            await WriteAsync(frame).ConfigureAwait(false);
            if (endsRequest)
            {
                _inFlight.End();
            }

            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(buffer);
        Interlocked.Increment(ref _queued);
        _writer ??= Task.Run(WriteLoopAsync);
        if (!_queue.Writer.TryWrite(new Queued(buffer, frame.Length, dueTimestamp, endsRequest)))
        {
            Interlocked.Decrement(ref _queued);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Lets every queued response go out (the wire still carries them when a broker closes a connection), then ends the writer.</summary>
    public Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        return _writer ?? Task.CompletedTask;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_closed).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    try
                    {
                        await WaitUntilAsync(item.DueTimestamp).ConfigureAwait(false);
                        await WriteAsync(item.Buffer.AsMemory(0, item.Length)).ConfigureAwait(false);
                        if (item.EndsRequest)
                        {
                            _inFlight.End();
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                        Interlocked.Decrement(ref _queued);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException
                                       or System.Net.Sockets.SocketException)
        {
            // The client left or the connection was closed: nothing queued can be delivered any more.
            _fail();
        }
        finally
        {
            while (_queue.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }
    }

    /// <summary>Timers may fire a little early; a response must never reach the client before its due time.</summary>
    private async Task WaitUntilAsync(long dueTimestamp)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dueTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), _closed).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        // Counted before the write: once the client has the response, the counters already include it.
        _counters.AddBytesOut(bytes.Length);
        await _stream.WriteAsync(bytes, _closed).ConfigureAwait(false);
        await _stream.FlushAsync(_closed).ConfigureAwait(false);
    }
}
