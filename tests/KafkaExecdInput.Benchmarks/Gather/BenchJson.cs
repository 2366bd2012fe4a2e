using System.Globalization;
using System.Text.Json;

namespace KafkaExecdInput.Benchmarks.Gather;

internal static class BenchJson
{
    public static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
