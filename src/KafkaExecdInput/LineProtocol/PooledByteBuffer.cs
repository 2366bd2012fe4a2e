using System.Buffers;

namespace KafkaExecdInput.LineProtocol;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/> and kept across uses, so a
/// writer that is reset between gathers stops allocating once it has grown to the largest gather.
/// Unlike <see cref="ArrayBufferWriter{T}"/> it can be truncated, which lets the line writer drop
/// a line it has started but cannot finish.
/// </summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private byte[] _array;
    private int _length;

    public PooledByteBuffer(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _array = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Length => _length;

    public int Capacity => _array.Length;

    public ReadOnlySpan<byte> Written(int length) => _array.AsSpan(0, length);

    public ReadOnlyMemory<byte> WrittenMemory(int length) => _array.AsMemory(0, length);

    /// <summary>A span of at least <paramref name="sizeHint"/> bytes after the written data.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_length < 0, this);
        if (_array.Length - _length < sizeHint)
        {
            Grow(sizeHint);
        }

        return _array.AsSpan(_length);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _length);
        _length += count;
    }

    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        _length++;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Forgets everything after <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    public void Dispose()
    {
        if (_length >= 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
            _length = -1;
        }
    }

    private void Grow(int sizeHint)
    {
        int needed = checked(_length + sizeHint);
        int newSize = Math.Max(needed, _array.Length <= Array.MaxLength / 2 ? _array.Length * 2 : Array.MaxLength);
        byte[] bigger = ArrayPool<byte>.Shared.Rent(newSize);
        _array.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
