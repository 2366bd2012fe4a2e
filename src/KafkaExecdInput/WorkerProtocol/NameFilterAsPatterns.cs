using System.Text.Json;
using System.Text.Json.Serialization;
using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>A filter travels as the patterns the user wrote; the worker compiles its own.</summary>
internal sealed class NameFilterAsPatterns : JsonConverter<NameFilter>
{
    public override NameFilter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var patterns = JsonSerializer.Deserialize(ref reader, ProtocolJson.Default.NamePatterns)
            ?? throw new JsonException("a name filter is null");
        return NameFilter.FromPatterns(patterns.Include, patterns.Exclude);
    }

    public override void Write(Utf8JsonWriter writer, NameFilter value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new NamePatterns(value.Include, value.Exclude), ProtocolJson.Default.NamePatterns);
}

/// <summary>The include and exclude patterns of a <see cref="NameFilter"/>, as written in the configuration.</summary>
internal sealed record NamePatterns(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude);
