using System.Buffers.Binary;
using System.Text;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads a classic member's assignment as DescribeGroups returns it: the opaque bytes of the
/// "consumer" protocol type, laid out as Kafka's ConsumerProtocolAssignment (versions 0-3, not
/// flexible): int16 version, then [topic string, [int32 partition]], then user data, which is skipped.
/// librdkafka hands these bytes over undecoded (GroupMemberInfo.MemberAssignment).
/// </summary>
internal static class ConsumerProtocolAssignment
{
    /// <summary>
    /// The assigned partitions by topic, or null when the bytes are empty (Kafka sends no assignment
    /// until a classic group is Stable) or are not a layout this reader knows.
    /// </summary>
    public static IReadOnlyList<AssignedTopic>? TryRead(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2 + 4)
        {
            return null;
        }
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes);
        if (version < 0)
        {
            return null;
        }
        var position = 2;
        if (!TryReadInt32(bytes, ref position, out var topicCount) || topicCount < 0)
        {
            return null;
        }
        var topics = new List<AssignedTopic>(Math.Min(topicCount, 1024));
        for (var t = 0; t < topicCount; t++)
        {
            if (!TryReadString(bytes, ref position, out var topic)
                || !TryReadInt32(bytes, ref position, out var partitionCount)
                || partitionCount < 0
                || (long)partitionCount * 4 > bytes.Length - position)
            {
                return null;
            }
            var partitions = new int[partitionCount];
            for (var p = 0; p < partitionCount; p++)
            {
                partitions[p] = BinaryPrimitives.ReadInt32BigEndian(bytes[position..]);
                position += 4;
            }
            topics.Add(new AssignedTopic(topic, partitions));
        }
        return topics;
    }

    private static bool TryReadInt32(ReadOnlySpan<byte> bytes, ref int position, out int value)
    {
        if (bytes.Length - position < 4)
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReadInt32BigEndian(bytes[position..]);
        position += 4;
        return true;
    }

    private static bool TryReadString(ReadOnlySpan<byte> bytes, ref int position, out string value)
    {
        value = "";
        if (bytes.Length - position < 2)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadInt16BigEndian(bytes[position..]);
        position += 2;
        if (length < 0 || bytes.Length - position < length)
        {
            return false;
        }
        value = Encoding.UTF8.GetString(bytes.Slice(position, length));
        position += length;
        return true;
    }
}
