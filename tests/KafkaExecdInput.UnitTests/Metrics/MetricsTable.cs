using System.Text;
using KafkaExecdInput.Metrics;

namespace KafkaExecdInput.UnitTests.Metrics;

/// <summary>Renders the metric families' declarations as the markdown tables users read.</summary>
internal static class MetricsTable
{
    public const string ReadmeStart = "<!-- metrics-table:start (generated from src/KafkaExecdInput/Metrics/Families by tests/KafkaExecdInput.UnitTests/Metrics/MetricsTable.cs) -->";

    public const string ReadmeEnd = "<!-- metrics-table:end -->";

    /// <summary>README.md's table: one row per field, measurement and tags on the first row of each line shape.</summary>
    public static string Readme(IEnumerable<MetricFamily> families)
    {
        var table = new StringBuilder()
            .Append("| family | measurement | tags | field | Prometheus name | meaning |\n")
            .Append("|---|---|---|---|---|---|\n");
        foreach (MetricFamily family in families)
        {
            bool firstOfFamily = true;
            foreach (MetricLine line in family.Lines)
            {
                bool firstOfLine = true;
                foreach (MetricField field in line.Fields)
                {
                    Row(
                        table,
                        firstOfFamily ? Code(family.Name) : "",
                        firstOfLine ? Code(line.Measurement.Value) : "",
                        firstOfLine ? Tags(line) : "",
                        Field(field),
                        Code(line.PrometheusName(field)),
                        field.Meaning);
                    firstOfFamily = firstOfLine = false;
                }
            }
        }

        return table.ToString();
    }

    /// <summary>design.md §4's table: one row per line shape, its fields with their meanings.</summary>
    public static string DesignSchema(IEnumerable<MetricFamily> families)
    {
        var table = new StringBuilder()
            .Append("| family | measurement | tags | fields (integer unless said) |\n")
            .Append("|---|---|---|---|\n");
        foreach (MetricFamily family in families)
        {
            foreach (MetricLine line in family.Lines)
            {
                Row(
                    table,
                    Code(family.Name),
                    Code(line.Measurement.Value),
                    Tags(line),
                    string.Join("; ", line.Fields.Select(f => $"{Field(f)}: {f.Meaning}")));
            }
        }

        return table.ToString();
    }

    private static void Row(StringBuilder table, params string[] cells) =>
        table.Append('|').AppendJoin('|', cells.Select(c => c.Length == 0 ? " " : $" {c} ")).Append("|\n");

    private static string Tags(MetricLine line) =>
        line.Tags.Count == 0
            ? "–"
            : string.Join(", ", line.Tags.Select(t => t.ValueForm is null ? Code(t.Name) : $"{Code(t.Name)} ({t.ValueForm})"));

    private static string Field(MetricField field) =>
        field.Type == MetricFieldType.Integer ? Code(field.Name) : $"{Code(field.Name)} ({field.Type.ToString().ToLowerInvariant()})";

    private static string Code(string text) => $"`{text}`";
}
