using System.Text;
using System.Threading.Channels;
using KafkaExecdInput.Execd;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.UnitTests.Kafka;

namespace KafkaExecdInput.UnitTests.Execd;

/// <summary>Completes waits when a condition over some state becomes true; the owner calls <see cref="Changed"/> under its lock.</summary>
internal sealed class Conditions
{
    private readonly List<(Func<bool> Condition, TaskCompletionSource Met)> _waiters = [];

    public Task WaitUntilAsync(Func<bool> condition)
    {
        if (condition())
        {
            return Task.CompletedTask;
        }
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((condition, met));
        return met.Task.WaitAsync(TestWait.Limit);
    }

    public void Changed()
    {
        foreach (var waiter in _waiters.Where(w => w.Condition()).ToList())
        {
            _waiters.Remove(waiter);
            waiter.Met.TrySetResult();
        }
    }
}

/// <summary>Telegraf's side of stdin: the test writes lines, each as one read; it counts the reads asked for.</summary>
internal sealed class FakeStdin : Stream
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
    private readonly Lock _lock = new();
    private readonly Conditions _conditions = new();
    private int _reads;

    public void Send(string text) => _chunks.Writer.TryWrite(Encoding.UTF8.GetBytes(text));

    /// <summary>Telegraf closes stdin: the next read returns 0.</summary>
    public void EndOfInput() => _chunks.Writer.TryComplete();

    /// <summary>Completes once the loop has asked for <paramref name="count"/> reads: every chunk before the last is handled.</summary>
    public Task WaitForReadsAsync(int count)
    {
        lock (_lock)
        {
            return _conditions.WaitUntilAsync(() => _reads >= count);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _reads++;
            _conditions.Changed();
        }
        if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_chunks.Reader.TryRead(out var chunk))
        {
            return 0;
        }
        chunk.CopyTo(buffer);
        return chunk.Length;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A gather that runs until the test releases it (or its token is cancelled), and writes
/// "gather N\n". It records when each gather started and whether it was cancelled, on the fake clock.
/// </summary>
internal sealed class FakeGatherCycle(TimerWatchingTimeProvider time) : IGatherCycle
{
    private readonly Lock _lock = new();
    private readonly Conditions _conditions = new();
    private readonly Dictionary<int, TaskCompletionSource> _releases = [];
    private readonly List<TimeSpan> _startedAt = [];
    private readonly List<TimeSpan> _cancelledAt = [];
    private int _completed;

    public ReadOnlyMemory<byte> Output { get; private set; }

    public IReadOnlyList<TimeSpan> StartedAt
    {
        get
        {
            lock (_lock)
            {
                return [.. _startedAt];
            }
        }
    }

    public IReadOnlyList<TimeSpan> CancelledAt
    {
        get
        {
            lock (_lock)
            {
                return [.. _cancelledAt];
            }
        }
    }

    /// <summary>What stdout held each time the loop said the block was written (when <see cref="Stdout"/> is set).</summary>
    public List<string> StdoutAtOutputWritten { get; } = [];

    /// <summary>The loop's stdout, read at each <see cref="OutputWritten"/>.</summary>
    public MemoryStream? Stdout { get; set; }

    public void OutputWritten()
    {
        lock (_lock)
        {
            StdoutAtOutputWritten.Add(Stdout is null ? "" : Encoding.UTF8.GetString(Stdout.ToArray()));
        }
    }

    /// <summary>Gathers started before this one is called run without waiting.</summary>
    public bool ReleaseAll { get; set; }

    /// <summary>The block's first megabyte cannot be written (stdout closed while the block is built: GatherCycle's output).</summary>
    public bool OutputFails { get; set; }

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        int number;
        Task release;
        lock (_lock)
        {
            _startedAt.Add(time.Elapsed);
            number = _startedAt.Count;
            release = ReleaseAll ? Task.CompletedTask : Release(number).Task;
            _conditions.Changed();
        }
        var complete = true;
        try
        {
            await release.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            complete = false;
            lock (_lock)
            {
                _cancelledAt.Add(time.Elapsed);
            }
        }
        if (OutputFails)
        {
            throw new OutputClosedException(new IOException("Broken pipe"));
        }
        Output = Encoding.UTF8.GetBytes($"gather {number}\n");
        lock (_lock)
        {
            _completed++;
            _conditions.Changed();
        }
        return complete;
    }

    /// <summary>What each warm-up's <c>requested</c> answered, once its gather was released.</summary>
    public List<bool> WarmUpRequested { get; } = [];

    /// <summary>As <see cref="RunAsync"/>; the block is kept only if <paramref name="requested"/> says so after the release.</summary>
    public async Task<bool> WarmUpAsync(Func<bool> requested, CancellationToken cancellationToken)
    {
        await RunAsync(cancellationToken).ConfigureAwait(false);
        var delivered = requested();
        lock (_lock)
        {
            WarmUpRequested.Add(delivered);
        }
        if (!delivered)
        {
            Output = ReadOnlyMemory<byte>.Empty;
        }
        return delivered;
    }

    public void Finish(int gather)
    {
        lock (_lock)
        {
            Release(gather).TrySetResult();
        }
    }

    public Task WaitForStartedAsync(int count)
    {
        lock (_lock)
        {
            return _conditions.WaitUntilAsync(() => _startedAt.Count >= count);
        }
    }

    public Task WaitForCompletedAsync(int count)
    {
        lock (_lock)
        {
            return _conditions.WaitUntilAsync(() => _completed >= count);
        }
    }

    private TaskCompletionSource Release(int gather)
    {
        if (!_releases.TryGetValue(gather, out var release))
        {
            release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _releases[gather] = release;
        }
        return release;
    }
}

/// <summary>A stdout whose reader has gone away: every write fails as a broken pipe does.</summary>
internal sealed class ClosedStdout : MemoryStream
{
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromException(new IOException("Broken pipe"));
}
