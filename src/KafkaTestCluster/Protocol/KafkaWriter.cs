using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KafkaTestCluster.Protocol;

/// <summary>
/// Encodes a response into a growable buffer rented from <see cref="ArrayPool{T}"/>. <see cref="Flexible"/>
/// switches strings, bytes and arrays to their compact forms and makes <see cref="WriteEmptyTaggedFields"/>
/// emit its zero byte, so a handler writes every version with one code path.
/// </summary>
internal sealed class KafkaWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public KafkaWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public bool Flexible { get; set; }

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Reset()
    {
        _length = 0;
        Flexible = false;
    }

    private Span<byte> Grab(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Grow(_length + count);
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void Grow(int needed)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    public void WriteInt8(sbyte value) => Grab(1)[0] = (byte)value;

    public void WriteBool(bool value) => Grab(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grab(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grab(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grab(8), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grab(4), value);

    public void WriteUuid(Guid value) => KafkaUuid.Write(Grab(16), value);

    public void WriteUnsignedVarint(uint value)
    {
        while (value >= 0x80)
        {
            Grab(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }

        Grab(1)[0] = (byte)value;
    }

    public void WriteVarint(int value) => WriteUnsignedVarint((uint)((value << 1) ^ (value >> 31)));

    public void WriteVarlong(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        while (raw >= 0x80)
        {
            Grab(1)[0] = (byte)(raw | 0x80);
            raw >>= 7;
        }

        Grab(1)[0] = (byte)raw;
    }

    private void WriteLength(int length, bool isArray)
    {
        if (Flexible)
        {
            WriteUnsignedVarint((uint)(length + 1));
        }
        else if (isArray)
        {
            WriteInt32(length);
        }
        else
        {
            WriteInt16((short)length);
        }
    }

    public void WriteString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount > short.MaxValue)
        {
            throw new InvalidOperationException("String longer than the protocol allows.");
        }

        WriteLength(byteCount, isArray: false);
        Encoding.UTF8.GetBytes(value, Grab(byteCount));
    }

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteLength(-1, isArray: false);
        }
        else
        {
            WriteString(value);
        }
    }

    /// <summary>Pre-encoded UTF-8 string (hot paths cache topic names as bytes).</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteLength(utf8.Length, isArray: false);
        utf8.CopyTo(Grab(utf8.Length));
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        if (Flexible)
        {
            WriteUnsignedVarint((uint)(value.Length + 1));
        }
        else
        {
            WriteInt32(value.Length);
        }

        value.CopyTo(Grab(value.Length));
    }

    public void WriteNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            if (Flexible)
            {
                WriteUnsignedVarint(0);
            }
            else
            {
                WriteInt32(-1);
            }
        }
        else
        {
            WriteBytes(value);
        }
    }

    public void WriteArrayLength(int count) => WriteLength(count, isArray: true);

    public void WriteInt32Array(ReadOnlySpan<int> values)
    {
        WriteArrayLength(values.Length);
        foreach (var value in values)
        {
            WriteInt32(value);
        }
    }

    /// <summary>An empty tagged-field section on flexible versions; nothing otherwise.</summary>
    public void WriteEmptyTaggedFields()
    {
        if (Flexible)
        {
            Grab(1)[0] = 0;
        }
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grab(bytes.Length));

    /// <summary>Reserves <paramref name="count"/> bytes to be patched later (frame sizes).</summary>
    public int Reserve(int count)
    {
        var at = _length;
        Grab(count);
        return at;
    }

    public void PatchInt32(int at, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(at, 4), value);

    public void PatchInt64(int at, long value) => BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(at, 8), value);

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
