using System.Diagnostics;
using System.Text.RegularExpressions;
using KafkaExecdInput.Tests.Support;

namespace KafkaExecdInput.Tests.Alerts;

/// <summary>
/// The Prometheus rules in src/Alerts: valid and passing their unit tests under Prometheus's own
/// promtool, written only against series the plugin really writes, and tested with series shaped as
/// Telegraf's prometheus_client exposes the plugin's real output (or as kafka_exporter exposes it).
/// </summary>
public sealed partial class PromtoolRulesTests
{
    private static readonly string AlertsFolder = Path.Combine(RepositoryRoot(), "src", "Alerts");
    private static readonly string RulesFile = Path.Combine(AlertsFolder, "kafka-execd-input.rules.yml");
    private static readonly string RulesTestFile = Path.Combine(AlertsFolder, "tests", "kafka-execd-input.test.yml");

    /// <summary>Labels that come from outside the plugin's tags: Telegraf's host tag, a cluster tag from [inputs.execd.tags], Prometheus's target labels.</summary>
    private static readonly string[] TelegrafLabels = ["cluster", "host", "instance", "job"];

    private static readonly string[] KafkaExporterLabels = ["instance", "job"];

    [PromtoolFact]
    public async Task Promtool_accepts_the_rules()
    {
        var (exitCode, output) = await RunAsync("promtool", ["check", "rules", RulesFile]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [PromtoolFact]
    public async Task The_rules_pass_their_promtool_unit_tests()
    {
        var (exitCode, output) = await RunAsync("promtool", ["test", "rules", RulesTestFile]);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rules_use_only_series_the_plugin_writes_and_the_tests_feed_them_in_the_plugins_shape()
    {
        var series = await PluginSeriesAsync();

        var rulesText = string.Join('\n', File.ReadLines(RulesFile).Where(l => !l.TrimStart().StartsWith('#')));
        var used = SeriesNameInRule().Matches(rulesText).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.True(series.ContainsKey(name), $"the rules use {name}, which the plugin does not write"));

        var inputs = TestSeries().Matches(File.ReadAllText(RulesTestFile)).ToList();
        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
        {
            var name = input.Groups["name"].Value;
            var labels = LabelName().Matches(input.Groups["labels"].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            Assert.True(series.TryGetValue(name, out var tags), $"the rule tests feed {name}, which the plugin does not write");
            // kafka_exporter's series carry the same labels as the plugin's tags, plus Prometheus's target labels.
            var kafkaExporterShaped = input.Groups["labels"].Value.Contains("job=\"kafka\"", StringComparison.Ordinal);
            var outside = kafkaExporterShaped ? KafkaExporterLabels : TelegrafLabels;
            Assert.True(kafkaExporterShaped || labels.Contains("host"), $"{input.Value}: Telegraf adds a host label to every series");
            Assert.True(
                tags.SetEquals(labels.Except(outside)),
                $"{input.Value}: the plugin writes {name} with tags [{string.Join(", ", tags.Order())}]");
        }
    }

    /// <summary>
    /// Prometheus name (`measurement_field`) to tag keys, from two real collections of the demo cluster:
    /// lag status needs the second.
    /// </summary>
    private static async Task<Dictionary<string, HashSet<string>>> PluginSeriesAsync()
    {
        var (first, second) = await ExecdSession.FirstTwoDemoGathersAsync();
        var series = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in first.Lines.Concat(second.Lines))
        {
            foreach (var field in line.Fields)
            {
                var tags = line.Tags.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
                var name = $"{line.Measurement}_{field.Key}";
                Assert.True(!series.TryGetValue(name, out var seen) || seen.SetEquals(tags), $"{name} is written with two tag sets");
                series[name] = tags;
            }
        }
        return series;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, $"{await stdout}\n{await stderr}");
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

    /// <summary>A raw series name in an expression; names inside a recording rule's `level:name:op` are not.</summary>
    [GeneratedRegex(@"(?<![:\w])kafka_[a-z_]+(?![:\w])")]
    private static partial Regex SeriesNameInRule();

    [GeneratedRegex(@"series: '(?<name>[a-z_]+)\{(?<labels>[^}]*)\}'")]
    private static partial Regex TestSeries();

    [GeneratedRegex(@"(\w+)=""")]
    private static partial Regex LabelName();
}

/// <summary>Skipped, saying why, where Prometheus's promtool is not installed (.ci/run installs Debian's prometheus).</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(':').Any(dir => File.Exists(Path.Combine(dir, "promtool"))))
        {
            Skip = "promtool is not installed (apt-get install prometheus)";
        }
    }
}
