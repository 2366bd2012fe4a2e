using System.Buffers;
using System.Buffers.Binary;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// Length-prefixed frames over a pipe (4-byte little-endian length, then the message).
/// A pipe is a byte stream; the prefix is what lets the reader tell a whole message from half of
/// one written by a worker that died mid-write. Both directions reuse one buffer each, so a
/// gather's frames cost no allocation beyond the largest frame seen.
/// </summary>
internal sealed class FrameStream(Stream stream)
{
    /// <summary>Far above any real snapshot part; a larger length means the stream is corrupt.</summary>
    private const int MaxFrameBytes = 512 * 1024 * 1024;

    private const int PrefixBytes = sizeof(int);

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _writeBuffer = new();
    private readonly byte[] _readPrefix = new byte[PrefixBytes];
    private byte[] _readBuffer = [];

    /// <summary>Writes one frame whose body <paramref name="writeBody"/> writes; frames of concurrent writers do not interleave.</summary>
    public async Task WriteAsync(Action<IBufferWriter<byte>> writeBody, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _writeBuffer.ResetWrittenCount();
            _writeBuffer.GetSpan(PrefixBytes);
            _writeBuffer.Advance(PrefixBytes);
            writeBody(_writeBuffer);
            var frame = _writeBuffer.WrittenMemory;
            BinaryPrimitives.WriteInt32LittleEndian(System.Runtime.InteropServices.MemoryMarshal.AsMemory(frame).Span, frame.Length - PrefixBytes);
            await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The next whole frame's body, or null when the stream ended (cleanly or mid-frame). The memory
    /// is valid until the next read: decode it before reading again. One reader at a time.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await ReadExactlyOrEndAsync(_readPrefix, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(_readPrefix);
        if (length <= 0 || length > MaxFrameBytes)
        {
            throw new InvalidDataException($"frame length {length} is out of range");
        }
        if (_readBuffer.Length < length)
        {
            _readBuffer = new byte[Math.Max(length, Math.Min(2 * _readBuffer.Length, MaxFrameBytes))];
        }
        var body = _readBuffer.AsMemory(0, length);
        return await ReadExactlyOrEndAsync(body, cancellationToken).ConfigureAwait(false) ? body : (ReadOnlyMemory<byte>?)null;
    }

    private async Task<bool> ReadExactlyOrEndAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }
            filled += read;
        }
        return true;
    }
}
