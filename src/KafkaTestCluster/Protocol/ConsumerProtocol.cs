namespace KafkaTestCluster.Protocol;

/// <summary>
/// Kafka's embedded consumer-protocol schemas carried as opaque bytes in DescribeGroups:
/// ConsumerProtocolSubscription (member metadata) and ConsumerProtocolAssignment (member assignment).
/// Both are classic (non-flexible) encodings; version 0 is readable by every client.
/// </summary>
internal static class ConsumerProtocol
{
    public static byte[] EncodeSubscription(IReadOnlyList<TopicPartitionRef> assignment)
    {
        using var writer = new KafkaWriter(256);
        writer.WriteInt16(0);
        var topics = DistinctTopics(assignment);
        writer.WriteArrayLength(topics.Count);
        foreach (var topic in topics)
        {
            writer.WriteString(topic);
        }

        writer.WriteNullableBytes(null); // user data
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeAssignment(IReadOnlyList<TopicPartitionRef> assignment)
    {
        using var writer = new KafkaWriter(256);
        writer.WriteInt16(0);
        var topics = DistinctTopics(assignment);
        writer.WriteArrayLength(topics.Count);
        foreach (var topic in topics)
        {
            writer.WriteString(topic);
            var count = 0;
            foreach (var tp in assignment)
            {
                if (tp.Topic == topic)
                {
                    count++;
                }
            }

            writer.WriteArrayLength(count);
            foreach (var tp in assignment)
            {
                if (tp.Topic == topic)
                {
                    writer.WriteInt32(tp.Partition);
                }
            }
        }

        writer.WriteNullableBytes(null); // user data
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Topics in first-seen order, so encodings are deterministic.</summary>
    private static List<string> DistinctTopics(IReadOnlyList<TopicPartitionRef> assignment)
    {
        var topics = new List<string>();
        foreach (var tp in assignment)
        {
            if (!topics.Contains(tp.Topic))
            {
                topics.Add(tp.Topic);
            }
        }

        return topics;
    }

    /// <summary>Decodes an assignment (any version: later versions only append fields).</summary>
    public static List<TopicPartitionRef> DecodeAssignment(ReadOnlySpan<byte> bytes)
    {
        var reader = new KafkaReader(bytes);
        _ = reader.ReadInt16();
        var result = new List<TopicPartitionRef>();
        var topics = reader.ReadArrayLength();
        for (var t = 0; t < topics; t++)
        {
            var topic = reader.ReadString();
            foreach (var partition in reader.ReadInt32Array())
            {
                result.Add(new TopicPartitionRef(topic, partition));
            }
        }

        return result;
    }
}
