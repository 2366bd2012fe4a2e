namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// The stream a gather's block is written to, as the plugin's stdout: passes the bytes to the
/// gather's own output and counts the bytes and lines of the block, which the plugin writes in
/// pieces while it builds it (Execd/GatherCycle's output).
/// </summary>
internal sealed class BlockStream : Stream
{
    private Stream _target = Null;

    public long Bytes { get; private set; }

    public int Lines { get; private set; }

    /// <summary>A new block, written to <paramref name="target"/>.</summary>
    public void Begin(Stream target)
    {
        _target = target;
        Bytes = 0;
        Lines = 0;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Count(buffer);
        _target.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Span);
        await _target.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _target.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _target.FlushAsync(cancellationToken);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Count(ReadOnlySpan<byte> bytes)
    {
        Bytes += bytes.Length;
        Lines += bytes.Count((byte)'\n');
    }
}
