using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>
/// Turns messages into frame bodies and back. The schema is the message records themselves
/// (System.Text.Json source generation, <see cref="ProtocolJson"/>): there is no second description of
/// the wire to keep in step by hand. README.md in this folder describes the contract.
/// </summary>
internal static class MessageCodec
{
    /// <summary>Raised whenever a message's shape changes incompatibly (see README.md, Versioning).</summary>
    public const int ProtocolVersion = 2;

    /// <summary>The property that names a message's type (the first in every message).</summary>
    public const string KindProperty = "kind";

    /// <summary>
    /// Only JSON's own syntax is escaped: the frames never reach a browser, and escaping every non-ASCII
    /// character of a group id would only cost bytes. The serializer's output needs no validation.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static void Write(IBufferWriter<byte> output, ParentMessage message)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        JsonSerializer.Serialize(json, message, ProtocolJson.Default.ParentMessage);
    }

    public static void Write(IBufferWriter<byte> output, WorkerMessage message)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        JsonSerializer.Serialize(json, message, ProtocolJson.Default.WorkerMessage);
    }

    /// <exception cref="InvalidDataException">The frame is not a message this version knows.</exception>
    public static ParentMessage ReadParentMessage(ReadOnlySpan<byte> frame) => Read(frame, ProtocolJson.Default.ParentMessage);

    /// <exception cref="InvalidDataException">The frame is not a message this version knows.</exception>
    public static WorkerMessage ReadWorkerMessage(ReadOnlySpan<byte> frame) => Read(frame, ProtocolJson.Default.WorkerMessage);

    private static T Read<T>(ReadOnlySpan<byte> frame, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(frame, type) ?? throw new InvalidDataException("a message is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            // Never the frame itself in the message: a start message carries secrets.
            throw new InvalidDataException($"not a {typeof(T).Name} of protocol version {ProtocolVersion}: {e.GetType().Name} at byte {(e as JsonException)?.BytePositionInLine}", e);
        }
    }
}

/// <summary>The generated serializers of every message (and <see cref="NamePatterns"/>, for <see cref="NameFilterAsPatterns"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    Converters = [
        typeof(ExactArrayConverter<int>),
        typeof(ExactArrayConverter<long>),
        typeof(ExactArrayConverter<string>),
        typeof(ExactArrayConverter<PartitionInfo>),
        typeof(ExactArrayConverter<TopicInfo>),
        typeof(ExactArrayConverter<Watermarks>),
        typeof(ExactArrayConverter<TopicWatermarks>),
        typeof(ExactArrayConverter<TopicOffsets>),
        typeof(ExactArrayConverter<GroupOffsets>),
        typeof(ExactArrayConverter<ConsumerGroupInfo>)])]
[JsonSerializable(typeof(ParentMessage))]
[JsonSerializable(typeof(WorkerMessage))]
[JsonSerializable(typeof(NamePatterns))]
internal sealed partial class ProtocolJson : JsonSerializerContext;
