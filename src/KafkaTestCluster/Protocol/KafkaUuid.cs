using System.Buffers.Binary;

namespace KafkaTestCluster.Protocol;

/// <summary>
/// Kafka UUIDs are 16 bytes on the wire (two big-endian int64s). <see cref="Guid"/> is only the container:
/// it is built from and written to those bytes in big-endian order, so the wire bytes round-trip exactly.
/// </summary>
internal static class KafkaUuid
{
    public static Guid Read(ReadOnlySpan<byte> sixteenBytes) => new(sixteenBytes, bigEndian: true);

    public static void Write(Span<byte> destination, Guid value)
    {
        if (!value.TryWriteBytes(destination, bigEndian: true, out _))
        {
            throw new ArgumentException("Destination too small for a UUID.", nameof(destination));
        }
    }

    /// <summary>A deterministic non-zero id derived from a name, so topic ids are stable across runs.</summary>
    public static Guid FromName(string name, int salt)
    {
        Span<byte> bytes = stackalloc byte[16];
        var h1 = Fnv64(name, 0xcbf29ce484222325UL ^ (ulong)salt);
        var h2 = Fnv64(name, 0x84222325cbf29ce4UL + (ulong)salt);
        BinaryPrimitives.WriteUInt64BigEndian(bytes, h1 | 1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], h2);
        return new Guid(bytes, bigEndian: true);
    }

    private static ulong Fnv64(string text, ulong seed)
    {
        var hash = seed;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 0x100000001b3UL;
        }

        return hash;
    }
}
