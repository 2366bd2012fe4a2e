using System.Buffers.Binary;

namespace KafkaExecdInput.Worker;

/// <summary>
/// Length-prefixed frames over a pipe (4-byte little-endian length, then the message).
/// A pipe is a byte stream; the prefix is what lets the reader tell a whole message from half of
/// one written by a worker that died mid-write.
/// </summary>
internal sealed class FrameStream(Stream stream)
{
    /// <summary>Far above any real snapshot part; a larger length means the stream is corrupt.</summary>
    private const int MaxFrameBytes = 512 * 1024 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async Task WriteAsync(byte[] message, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, message.Length);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next whole frame, or null when the stream ended (cleanly or mid-frame).</summary>
    public async Task<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        if (!await ReadExactlyOrEndAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length <= 0 || length > MaxFrameBytes)
        {
            throw new InvalidDataException($"frame length {length} is out of range");
        }
        var message = new byte[length];
        return await ReadExactlyOrEndAsync(message, cancellationToken).ConfigureAwait(false) ? message : null;
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }
            filled += read;
        }
        return true;
    }
}
