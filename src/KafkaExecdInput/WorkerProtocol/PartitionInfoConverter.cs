using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// A partition as a positional array, <c>[id, leader, [replicas]]</c>, with a fourth element <c>[in-sync replicas]</c>
/// only when they differ from the replicas. A gather sends one per partition (50,000 at L): property names
/// would be most of the bytes, and an in-sync set equal to the replicas (the healthy case) shares their array.
/// </summary>
internal sealed class PartitionInfoConverter : JsonConverter<PartitionInfo>
{
    private const string What = "partition";

    [ThreadStatic]
    private static List<int>? t_buffer;

    public override PartitionInfo Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CompactJson.Expect(ref reader, JsonTokenType.StartArray, What);
        var id = CompactJson.NextInt32(ref reader, What);
        var leader = CompactJson.NextInt32(ref reader, What);
        CompactJson.Next(ref reader, JsonTokenType.StartArray, What);
        var replicas = ReadInts(ref reader);
        if (!reader.Read())
        {
            throw new JsonException($"{What}: the frame ends early");
        }
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return new PartitionInfo(id, leader, replicas, replicas);
        }
        CompactJson.Expect(ref reader, JsonTokenType.StartArray, What);
        var inSync = ReadInts(ref reader);
        CompactJson.Next(ref reader, JsonTokenType.EndArray, What);
        return new PartitionInfo(id, leader, replicas, inSync);
    }

    public override void Write(Utf8JsonWriter writer, PartitionInfo value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Id);
        writer.WriteNumberValue(value.Leader);
        WriteInts(writer, value.Replicas);
        if (!SameNumbers(value.InSyncReplicas, value.Replicas))
        {
            WriteInts(writer, value.InSyncReplicas);
        }
        writer.WriteEndArray();
    }

    /// <summary>The numbers up to the closing bracket of the array the reader is at the start of.</summary>
    private static int[] ReadInts(ref Utf8JsonReader reader)
    {
        var buffer = t_buffer ??= [];
        buffer.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            CompactJson.Expect(ref reader, JsonTokenType.Number, What);
            buffer.Add(reader.GetInt32());
        }
        CompactJson.Expect(ref reader, JsonTokenType.EndArray, What);
        return buffer.Count == 0 ? [] : [.. buffer];
    }

    private static bool SameNumbers(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    private static void WriteInts(Utf8JsonWriter writer, IReadOnlyList<int> values)
    {
        writer.WriteStartArray();
        for (var i = 0; i < values.Count; i++)
        {
            writer.WriteNumberValue(values[i]);
        }
        writer.WriteEndArray();
    }
}
