using System.Text;

namespace KafkaExecdInput.Sharding;

/// <summary>
/// The hash that assigns a name to a shard: 32-bit FNV-1a over the name's UTF-8 bytes (offset basis
/// 2166136261, prime 16777619). Defined here bit for bit, never string.GetHashCode (randomised per
/// process), so every agent, on every machine and every version of this plugin, puts a name in the
/// same shard. Changing it would move names between shards: a breaking change (README, Sharding).
/// </summary>
internal static class StableHash
{
    private const uint OffsetBasis = 2166136261;

    private const uint Prime = 16777619;

    public static uint Fnv1a32(string name)
    {
        var hash = OffsetBasis;
        Span<byte> small = stackalloc byte[256];
        var byteCount = Encoding.UTF8.GetByteCount(name);
        var bytes = byteCount <= small.Length ? small[..byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(name, bytes);
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * Prime);
        }
        return hash;
    }
}
