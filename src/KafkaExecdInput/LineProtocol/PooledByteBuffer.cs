using System.Buffers;

namespace KafkaExecdInput.LineProtocol;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/> and kept across uses, so a
/// writer that is reset between gathers stops allocating once it has grown to the largest gather.
/// Unlike <see cref="ArrayBufferWriter{T}"/> it can be truncated, which lets the line writer drop
/// a line it has started but cannot finish.
/// </summary>
/// <remarks>
/// Arrays above <see cref="PooledLimit"/> bypass the pool: the shared pool keeps every array returned
/// to it, so growing by doubling to the 64 MiB a 50,000-partition gather needs used to park the
/// 32, 16, 8, … MiB arrays it outgrew there for good (another 64 MiB nobody rents again).
/// </remarks>
internal sealed class PooledByteBuffer : IDisposable
{
    /// <summary>Largest array rented from and returned to the shared pool.</summary>
    internal const int PooledLimit = 1024 * 1024;

    private byte[] _array;
    private int _length;

    public PooledByteBuffer(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _array = Allocate(initialCapacity);
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
            Release(_array);
            _array = [];
            _length = -1;
        }
    }

    private void Grow(int sizeHint)
    {
        int needed = checked(_length + sizeHint);
        // Past the pooled sizes, grow by half instead of doubling: a buffer that is kept for the life of
        // the plugin then carries at most 50% slack (a 34 MB gather kept 64 MiB when doubling).
        long grown = _array.Length < PooledLimit ? _array.Length * 2L : _array.Length + (_array.Length / 2L);
        int newSize = (int)Math.Max(needed, Math.Min(grown, Array.MaxLength));
        byte[] bigger = Allocate(newSize);
        _array.AsSpan(0, _length).CopyTo(bigger);
        Release(_array);
        _array = bigger;
    }

    private static byte[] Allocate(int size) =>
        size <= PooledLimit ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    /// <summary>Returns a pooled array; a larger one is left to the garbage collector.</summary>
    private static void Release(byte[] array)
    {
        if (array.Length <= PooledLimit)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
