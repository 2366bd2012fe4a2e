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
