using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// Reading helpers of the compact converters (<see cref="PartitionInfoConverter"/>, <see cref="WatermarkTableConverter"/>,
/// <see cref="GroupOffsetsConverter"/>): each steps to the next token and refuses one of another kind with a
/// <see cref="JsonException"/>, which <see cref="MessageCodec"/> reports as invalid data.
/// </summary>
internal static class CompactJson
{
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"{what}: expected {expected}, found {reader.TokenType}");
        }
    }

    public static void Next(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (!reader.Read())
        {
            throw new JsonException($"{what}: the frame ends early");
        }
        Expect(ref reader, expected, what);
    }

    public static int NextInt32(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader, JsonTokenType.Number, what);
        return reader.GetInt32();
    }

    public static long NextInt64(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader, JsonTokenType.Number, what);
        return reader.GetInt64();
    }

    /// <summary>A number, or null for JSON's null.</summary>
    public static long? NextNullableInt64(ref Utf8JsonReader reader, string what)
    {
        if (!reader.Read())
        {
            throw new JsonException($"{what}: the frame ends early");
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        Expect(ref reader, JsonTokenType.Number, what);
        return reader.GetInt64();
    }

    public static string NextString(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader, JsonTokenType.String, what);
        return reader.GetString()!;
    }

    /// <summary>
    /// Steps through a topic-grouped array (<c>"topic", partition, ..., "next topic", ...</c>, the layout of
    /// <see cref="WatermarkTableConverter"/> and <see cref="GroupOffsetsConverter"/>) to the next partition
    /// number, keeping the topic it belongs to in <paramref name="topic"/>. False at the closing bracket,
    /// or when the frame ends early, which the caller's check of that bracket refuses.
    /// </summary>
    /// <param name="owner">What the array belongs to, for the error message (a group id), or null.</param>
    public static bool NextPartitionOfTopic(ref Utf8JsonReader reader, [NotNullWhen(true)] ref string? topic, string what, string? owner = null)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                topic = reader.GetString()!;
                continue;
            }
            Expect(ref reader, JsonTokenType.Number, what);
            if (topic is null)
            {
                throw new JsonException(owner is null ? $"{what}: a partition before its topic" : $"{what} of {owner}: a partition before its topic");
            }
            return true;
        }
        return false;
    }

    /// <summary>Writes <paramref name="topic"/> when it is not the topic of the previous partition, the other half of <see cref="NextPartitionOfTopic"/>.</summary>
    public static void WriteTopicOnChange(Utf8JsonWriter writer, string topic, ref string? previous)
    {
        if (!string.Equals(topic, previous, StringComparison.Ordinal))
        {
            previous = topic;
            writer.WriteStringValue(topic);
        }
    }

    /// <summary>
    /// A count sent ahead of elements so that the reader can size its table once. Only a hint for the
    /// allocation (at most <see cref="MaxPresized"/>): a corrupt count must not make the parent allocate gigabytes.
    /// </summary>
    public static int NextCount(ref Utf8JsonReader reader, string what)
    {
        var count = NextInt32(ref reader, what);
        if (count < 0)
        {
            throw new JsonException($"{what}: count {count} is negative");
        }
        return count;
    }

    /// <summary>The most elements a count may make a reader allocate for before the elements themselves arrive.</summary>
    public const int MaxPresized = 1 << 20;

    public static void WriteNullable(Utf8JsonWriter writer, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
