using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// Reads a JSON array as an array of exactly its length. The serializer's own reading of an
/// <see cref="IReadOnlyList{T}"/> grows a <see cref="List{T}"/>; for the lists a gather has thousands of
/// (a topic's partitions, a part's groups) that doubled the parent's allocation per frame. The elements are still read and written by the generated code of <typeparamref name="T"/>.
/// </summary>
internal sealed class ExactArrayConverter<T> : JsonConverter<IReadOnlyList<T>>
{
    /// <summary>One growing buffer per thread, taken while in use so that a nested list of the same type gets its own.</summary>
    [ThreadStatic]
    private static List<T>? t_buffer;

    private JsonTypeInfo<T>? _element;

    public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array of {typeof(T).Name}, found {reader.TokenType}");
        }
        var element = _element ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var buffer = t_buffer ?? [];
        t_buffer = null;
        try
        {
            buffer.Clear();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                buffer.Add(ReadElement(ref reader, element));
            }
            return buffer.Count == 0 ? [] : buffer.ToArray();
        }
        finally
        {
            t_buffer = buffer;
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        var element = _element ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            // Numbers are most of a gather's elements: written directly (the branch is compiled away per T).
            var copy = item;
            if (typeof(T) == typeof(int))
            {
                writer.WriteNumberValue(Unsafe.As<T, int>(ref copy));
            }
            else if (typeof(T) == typeof(long))
            {
                writer.WriteNumberValue(Unsafe.As<T, long>(ref copy));
            }
            else
            {
                JsonSerializer.Serialize(writer, item, element);
            }
        }
        writer.WriteEndArray();
    }

    private static T ReadElement(ref Utf8JsonReader reader, JsonTypeInfo<T> element)
    {
        if (typeof(T) == typeof(int))
        {
            var number = reader.GetInt32();
            return Unsafe.As<int, T>(ref number);
        }
        if (typeof(T) == typeof(long))
        {
            var number = reader.GetInt64();
            return Unsafe.As<long, T>(ref number);
        }
        return JsonSerializer.Deserialize(ref reader, element)
            ?? throw new JsonException($"a null {typeof(T).Name} in a list");
    }
}
