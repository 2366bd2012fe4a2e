using System.Buffers.Binary;
using System.Text;

namespace KafkaTestCluster.Protocol;

/// <summary>
/// Decodes Kafka primitive types from a request body. <see cref="Flexible"/> switches strings, bytes and
/// arrays to their compact (unsigned-varint length + 1) forms, so one handler body serves all versions.
/// Every read is bounds-checked and failures surface as <see cref="MalformedRequestException"/>.
/// </summary>
internal ref struct KafkaReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public KafkaReader(ReadOnlySpan<byte> buffer, bool flexible = false)
    {
        _buffer = buffer;
        _position = 0;
        Flexible = flexible;
    }

    public bool Flexible { get; set; }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[_position..];

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _buffer.Length - _position)
        {
            throw new MalformedRequestException($"Request truncated: needed {count} byte(s) at offset {_position}, {Remaining} left.");
        }

        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public bool ReadBool() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public Guid ReadUuid() => KafkaUuid.Read(Take(16));

    public uint ReadUnsignedVarint()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new MalformedRequestException("Unsigned varint longer than 5 bytes.");
    }

    public int ReadVarint()
    {
        var raw = ReadUnsignedVarint();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    public long ReadVarlong()
    {
        ulong raw = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }

        throw new MalformedRequestException("Varlong longer than 10 bytes.");
    }

    /// <summary>Length prefix of a string: -1 means null.</summary>
    private int ReadStringLength() => Flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt16();

    public string ReadString() =>
        ReadNullableString() ?? throw new MalformedRequestException("Null where a non-nullable string is required.");

    public string? ReadNullableString()
    {
        var length = ReadStringLength();
        if (length < -1)
        {
            throw new MalformedRequestException($"Invalid string length {length}.");
        }

        return length == -1 ? null : DecodeUtf8(Take(length));
    }

    /// <summary>A classic (int16-length) nullable string regardless of <see cref="Flexible"/>: the request header's client id.</summary>
    public string? ReadClassicNullableString()
    {
        var length = ReadInt16();
        return length < 0 ? null : DecodeUtf8(Take(length));
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MalformedRequestException("String is not valid UTF-8.", ex);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Nullable bytes; returns false for null. The span aliases the request buffer.</summary>
    public bool TryReadBytes(out ReadOnlySpan<byte> bytes)
    {
        var length = Flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt32();
        if (length < -1)
        {
            throw new MalformedRequestException($"Invalid bytes length {length}.");
        }

        if (length == -1)
        {
            bytes = default;
            return false;
        }

        bytes = Take(length);
        return true;
    }

    public ReadOnlySpan<byte> ReadBytes() =>
        TryReadBytes(out var bytes) ? bytes : throw new MalformedRequestException("Null where non-nullable bytes are required.");

    /// <summary>Array element count, or -1 for a null array. Guards against counts no buffer could hold.</summary>
    public int ReadArrayLength()
    {
        var count = Flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt32();
        if (count < -1 || count > Remaining)
        {
            throw new MalformedRequestException($"Invalid array length {count} with {Remaining} byte(s) left.");
        }

        return count;
    }

    public int[] ReadInt32Array()
    {
        var count = ReadArrayLength();
        if (count <= 0)
        {
            return [];
        }

        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ReadInt32();
        }

        return values;
    }

    public string[]? ReadNullableStringArray()
    {
        var count = ReadArrayLength();
        if (count < 0)
        {
            return null;
        }

        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ReadString();
        }

        return values;
    }

    /// <summary>Skips a tagged-field section; a no-op on non-flexible versions. No request field we read is tagged.</summary>
    public void SkipTaggedFields()
    {
        if (!Flexible)
        {
            return;
        }

        var count = ReadUnsignedVarint();
        for (var i = 0; i < count; i++)
        {
            _ = ReadUnsignedVarint();
            var size = (int)ReadUnsignedVarint();
            Take(size);
        }
    }
}
