using KafkaExecdInput.Metrics;
using Xunit.Abstractions;

namespace KafkaExecdInput.UnitTests.Metrics;

/// <summary>
/// README.md's metrics table is the families' declarations, rendered: a family, field or meaning
/// added, renamed or removed in code without the README (or the other way round) fails here.
/// </summary>
public sealed class ReadmeMetricsTableTests(ITestOutputHelper output)
{
    /// <summary>Set to 1 to rewrite README.md's table from the code instead of failing.</summary>
    private const string UpdateVariable = "KAFKA_EXECD_UPDATE_README";

    [Fact]
    public void The_readme_metrics_table_is_the_one_the_families_declare()
    {
        string readmePath = Path.Combine(RepositoryRoot(), "README.md");
        string readme = File.ReadAllText(readmePath).ReplaceLineEndings("\n");
        int start = readme.IndexOf(MetricsTable.ReadmeStart, StringComparison.Ordinal);
        int end = readme.IndexOf(MetricsTable.ReadmeEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md must hold the lines {MetricsTable.ReadmeStart} and {MetricsTable.ReadmeEnd}");
        int tableStart = start + MetricsTable.ReadmeStart.Length + 1;
        string expected = MetricsTable.Readme(MetricFamilies.All);
        output.WriteLine("design.md §4 rendering:\n" + MetricsTable.DesignSchema(MetricFamilies.All));

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(readmePath, readme[..tableStart] + expected + readme[end..]);
            return;
        }

        Assert.True(
            readme[tableStart..end] == expected,
            $"README.md's metrics table differs from the metric families; run the tests with {UpdateVariable}=1 to regenerate it, or paste:\n{expected}");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KafkaExecdInput.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("KafkaExecdInput.sln not found above the test folder");
    }
}
