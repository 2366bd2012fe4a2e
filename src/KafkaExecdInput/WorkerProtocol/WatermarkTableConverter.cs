using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// The table as one flat array, <c>[count, "topic", partition, earliest, latest, partition, earliest, latest,
/// "next topic", ...]</c>: a topic's name once before its partitions, a side that was not read as <c>null</c>,
/// and the number of partitions first so that the parent sizes the table once. Read and written straight
/// from and to the table: a gather's 50,000 partitions (at L) cost no object between the pipe and the table.
/// </summary>
internal sealed class WatermarkTableConverter : JsonConverter<WatermarkTable>
{
    private const string What = "watermarks";

    public override WatermarkTable Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        CompactJson.Expect(ref reader, JsonTokenType.StartArray, What);
        var count = CompactJson.NextCount(ref reader, What);
        var table = new WatermarkTable(Math.Min(count, CompactJson.MaxPresized));
        string? topic = null;
        while (CompactJson.NextPartitionOfTopic(ref reader, ref topic, What))
        {
            var partition = reader.GetInt32();
            var earliest = CompactJson.NextNullableInt64(ref reader, What);
            var latest = CompactJson.NextNullableInt64(ref reader, What);
            table.Set(topic, new Watermarks(partition, earliest, latest));
        }
        CompactJson.Expect(ref reader, JsonTokenType.EndArray, What);
        if (table.Count != count)
        {
            throw new JsonException($"{What}: {table.Count} distinct partitions, but the count says {count}");
        }
        return table;
    }

    public override void Write(Utf8JsonWriter writer, WatermarkTable value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Count);
        string? topic = null;
        // Entries come in the order they were first set, which is topic by topic as the readers set them; a topic
        // that comes back later is named again, which costs bytes but stays correct.
        foreach (var ((entryTopic, _), watermarks) in value.Entries)
        {
            CompactJson.WriteTopicOnChange(writer, entryTopic, ref topic);
            writer.WriteNumberValue(watermarks.Partition);
            CompactJson.WriteNullable(writer, watermarks.Earliest);
            CompactJson.WriteNullable(writer, watermarks.Latest);
        }
        writer.WriteEndArray();
    }
}
