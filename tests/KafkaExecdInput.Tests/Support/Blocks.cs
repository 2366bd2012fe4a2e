using System.Text;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.Tests.Support;

/// <summary>Helpers to read the plugin's stdout the way Telegraf does: as lines, one gather per block.</summary>
internal static class Blocks
{
    public static IReadOnlyList<ParsedLine> Parse(string stdout) => StrictLineParser.ParseAll(Encoding.UTF8.GetBytes(stdout));

    public static ParsedLine Collector(IReadOnlyList<ParsedLine> lines) => lines.Single(l => l.Measurement == "kafka_collector");

    public static IEnumerable<ParsedLine> Where(this IReadOnlyList<ParsedLine> lines, string measurement, params (string Key, string Value)[] tags) =>
        lines.Where(l => l.Measurement == measurement
            && l.Tags.Count == tags.Length
            && tags.All(t => l.Tag(t.Key) == t.Value));

    public static ParsedLine Single(this IReadOnlyList<ParsedLine> lines, string measurement, params (string Key, string Value)[] tags)
    {
        var found = lines.Where(measurement, tags).ToList();
        Assert.True(found.Count == 1,
            $"expected one {measurement} line with {string.Join(",", tags.Select(t => $"{t.Key}={t.Value}"))}, found {found.Count}");
        return found[0];
    }

    public static long Int(this ParsedLine line, string field) =>
        line.Field(field) is long value ? value : throw new Xunit.Sdk.XunitException($"{line.Measurement} has no integer field {field}");
}
