using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaExecdInput.History;

// The state file's rings as flat arrays of numbers: [capacity, first point, then each point as its
// difference to the previous one]. At L (50,000 partitions of 60 latest-offset points, 150,000
// group-partitions of 10 commits) objects with property names and ISO dates would be ~250 MB; gather
// intervals and offset steps are small numbers, so the differences keep the file to a fraction of that.

/// <summary>An <see cref="OffsetRing"/> as <c>[capacity, offset, utcTicks, Δoffset, Δticks, …]</c>.</summary>
internal sealed class OffsetRingJsonConverter : JsonConverter<OffsetRing>
{
    public override OffsetRing Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var ring = new OffsetRing(RingNumbers.Capacity(ref reader, minimum: 1));
        long offset = 0, ticks = 0;
        while (RingNumbers.NextPoint(ref reader))
        {
            offset += RingNumbers.Value(ref reader, advance: false);
            ticks += RingNumbers.Value(ref reader, advance: true);
            ring.Add(offset, RingNumbers.At(ticks));
        }
        return ring;
    }

    public override void Write(Utf8JsonWriter writer, OffsetRing value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Capacity);
        long offset = 0, ticks = 0;
        for (var i = 0; i < value.Count; i++)
        {
            var point = value[i];
            writer.WriteNumberValue(point.Offset - offset);
            writer.WriteNumberValue(point.At.UtcTicks - ticks);
            (offset, ticks) = (point.Offset, point.At.UtcTicks);
        }
        writer.WriteEndArray();
    }
}

/// <summary>A <see cref="CommitWindow"/> as <c>[capacity, offset, utcTicks, lag, Δoffset, Δticks, Δlag, …]</c>.</summary>
internal sealed class CommitWindowJsonConverter : JsonConverter<CommitWindow>
{
    public override CommitWindow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var window = new CommitWindow(RingNumbers.Capacity(ref reader, minimum: 2));
        long offset = 0, ticks = 0, lag = 0;
        while (RingNumbers.NextPoint(ref reader))
        {
            offset += RingNumbers.Value(ref reader, advance: false);
            ticks += RingNumbers.Value(ref reader, advance: true);
            lag += RingNumbers.Value(ref reader, advance: true);
            if (lag < 0)
            {
                throw new JsonException("a negative lag in a commit window");
            }
            window.Add(offset, RingNumbers.At(ticks), lag);
        }
        return window;
    }

    public override void Write(Utf8JsonWriter writer, CommitWindow value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Capacity);
        long offset = 0, ticks = 0, lag = 0;
        for (var i = 0; i < value.Count; i++)
        {
            var observation = value[i];
            writer.WriteNumberValue(observation.Offset - offset);
            writer.WriteNumberValue(observation.At.UtcTicks - ticks);
            writer.WriteNumberValue(observation.Lag - lag);
            (offset, ticks, lag) = (observation.Offset, observation.At.UtcTicks, observation.Lag);
        }
        writer.WriteEndArray();
    }
}

/// <summary>Reads the flat number arrays above; anything else is a <see cref="JsonException"/> (a broken file).</summary>
internal static class RingNumbers
{
    /// <summary>Rings are small (60 points at most today); a larger capacity is not a file this plugin wrote.</summary>
    private const int MaxCapacity = 10_000;

    /// <summary>Checks the array starts here and reads its first number, the capacity.</summary>
    public static int Capacity(ref Utf8JsonReader reader, int minimum)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected a ring as an array of numbers, found {reader.TokenType}");
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var capacity) || capacity < minimum || capacity > MaxCapacity)
        {
            throw new JsonException("a ring without a valid capacity");
        }
        return capacity;
    }

    /// <summary>Moves to the next point's first value: false at the array's end.</summary>
    public static bool NextPoint(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("a ring cut short");
        }
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>The number at the reader; <paramref name="advance"/> first moves to the next token (a point's later values).</summary>
    public static long Value(ref Utf8JsonReader reader, bool advance)
    {
        if (advance && !reader.Read())
        {
            throw new JsonException("a ring cut short");
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new JsonException("a ring point with a missing or non-integer value");
        }
        return value;
    }

    public static DateTimeOffset At(long utcTicks) =>
        utcTicks >= 0 && utcTicks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(utcTicks, TimeSpan.Zero)
            : throw new JsonException("a ring time out of range");
}
