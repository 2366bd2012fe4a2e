using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// A group's committed offsets as one flat array, <c>["group", "topic", partition, offset, partition, offset,
/// "next topic", ...]</c>: a topic's name once before its partitions. Decoded straight into the array of
/// <see cref="CommittedOffset"/> the snapshot keeps (150,000 of them at L), with no per-topic lists between.
/// </summary>
internal sealed class GroupOffsetsConverter : JsonConverter<GroupOffsets>
{
    private const string What = "committed offsets";

    /// <summary>One growing buffer per thread: the result is copied out at its exact length.</summary>
    [ThreadStatic]
    private static List<CommittedOffset>? t_buffer;

    public override GroupOffsets Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CompactJson.Expect(ref reader, JsonTokenType.StartArray, What);
        var groupId = CompactJson.NextString(ref reader, What);
        var buffer = t_buffer ??= [];
        buffer.Clear();
        string? topic = null;
        while (CompactJson.NextPartitionOfTopic(ref reader, ref topic, What, groupId))
        {
            var partition = reader.GetInt32();
            buffer.Add(new CommittedOffset(topic, partition, CompactJson.NextInt64(ref reader, What)));
        }
        CompactJson.Expect(ref reader, JsonTokenType.EndArray, What);
        return new GroupOffsets(groupId, buffer.Count == 0 ? [] : [.. buffer]);
    }

    public override void Write(Utf8JsonWriter writer, GroupOffsets value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value.GroupId);
        string? topic = null;
        var offsets = value.Offsets;
        for (var i = 0; i < offsets.Count; i++)
        {
            var offset = offsets[i];
            CompactJson.WriteTopicOnChange(writer, offset.Topic, ref topic);
            writer.WriteNumberValue(offset.Partition);
            writer.WriteNumberValue(offset.Offset);
        }
        writer.WriteEndArray();
    }
}
