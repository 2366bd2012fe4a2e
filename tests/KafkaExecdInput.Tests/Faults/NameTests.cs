using System.Text;
using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;
using KafkaTestCluster;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// Names as Kafka allows them, end to end through the cluster, the real client and the plugin:
/// topics with every character a topic may have, up to the longest name; group ids with what a
/// group id may hold (anything). Each comes out exactly, as a reader unescapes it, or - when an
/// Influx tag cannot carry it exactly - is left out with one W! line. Never a broken line.
/// </summary>
public sealed class NameTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Every character a topic name may have ([a-zA-Z0-9._-]), and the longest name Kafka allows (249).</summary>
    private static readonly string[] Topics =
    [
        "abcdefghijklmnopqrstuvwxyz.ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789-",
        "_leading.underscore",
        "-leading-dash",
        ".leading.dot",
        "a",
        string.Concat(Enumerable.Repeat("x._-9", 50))[..249],
    ];

    /// <summary>Group ids a tag carries exactly (escaped where the line protocol needs it).</summary>
    private static readonly string[] Writable =
    [
        "with spaces",
        " leading and trailing space ",
        "comma,separated",
        "key=value",
        "equals=at=end=",
        "double\"quote",
        "single'quote",
        "back\\slash",
        "a,b=c d\\e\"f",
        "grüße 组 🚀",
        "#not-a-comment",
    ];

    /// <summary>Group ids no Influx tag can carry exactly: left out, with a W! naming them.</summary>
    private static readonly string[] Unwritable =
    [
        "line\nbreak",
        "tab\there",
        "trailing backslash\\",
        "backslash before quote\\\"",
    ];

    private TestCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = TestCluster.Start();
        for (var t = 0; t < Topics.Length; t++)
        {
            _cluster.CreateTopic(Topics[t], 2);
            _cluster.SetWatermarks(Topics[t], 1, 10 + t, 100 + t);
        }
        foreach (var group in Writable.Concat(Unwritable))
        {
            _cluster.SetGroup(new GroupSpec(group, GroupState.Stable, [new MemberSpec("m-1", "client", "/10.0.0.1", [new(Topics[0], 1)])]));
            _cluster.CommitOffset(group, Topics[0], 1, 60);
            _cluster.CommitOffset(group, Topics[^1], 1, 90);
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Every_name_comes_out_exactly_or_is_left_out_with_one_warning_and_no_line_breaks()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);
        await using var session = FaultSession.Start(config, output);

        var first = await session.GatherAsync();
        var second = await session.GatherAsync();

        foreach (var gather in new[] { first, second })
        {
            Assert.False(gather.Partial, gather.ToString());
            AssertTopicsExact(gather.Lines);
            AssertGroupsExact(gather.Lines);
        }
        var stderr = await session.StopAsync();
        // One W! per name for the life of the plugin, not one per gather; each a single line.
        var warnings = stderr.Where(l => l.StartsWith("W! ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Unwritable.Length, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("consumer group", w, StringComparison.Ordinal));
    }

    [InfluxdFact]
    public async Task Influxdb_accepts_every_line_and_returns_the_names_as_they_are_in_kafka()
    {
        using var config = new PluginConfigFile(_cluster.BootstrapServers);
        var run = await PluginProcess.RunAsync(config.OnceArguments);
        Assert.True(run.ExitCode == 0, run.ToString());

        using var influx = await InfluxDbServer.StartAsync();
        await influx.CreateDatabaseAsync("kafka");
        var (status, body) = await influx.WriteAsync("kafka", Encoding.UTF8.GetBytes(run.Stdout));

        Assert.True((int)status == 204, $"influxd answered {(int)status}: {body}");
        var groups = await influx.QueryAsync("kafka", "SHOW TAG VALUES FROM kafka_consumergroup WITH KEY = consumergroup");
        Assert.Equal(Writable.Order(StringComparer.Ordinal), groups.Select(g => g["value"].GetString()!).Order(StringComparer.Ordinal));
        var topics = await influx.QueryAsync("kafka", "SHOW TAG VALUES FROM kafka_topic WITH KEY = topic");
        Assert.Equal(Topics.Order(StringComparer.Ordinal), topics.Select(t => t["value"].GetString()!).Order(StringComparer.Ordinal));
    }

    private void AssertTopicsExact(IReadOnlyList<ParsedLine> lines)
    {
        Assert.Equal(Topics.Order(StringComparer.Ordinal), lines.Where(l => l.Measurement == "kafka_topic").Select(l => l.Tag("topic")!).Order(StringComparer.Ordinal));
        for (var t = 0; t < Topics.Length; t++)
        {
            var partition = lines.Single("kafka_topic_partition", ("partition", "1"), ("topic", Topics[t]));
            Assert.Equal(100 + t, partition.Int("current_offset"));
            Assert.Equal(10 + t, partition.Int("oldest_offset"));
        }
    }

    private static void AssertGroupsExact(IReadOnlyList<ParsedLine> lines)
    {
        var reported = lines.Select(l => l.Tag("consumergroup")).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(Writable.Order(StringComparer.Ordinal), reported);
        foreach (var group in Writable)
        {
            Assert.Equal(1, lines.Single("kafka_consumergroup", ("consumergroup", group)).Int("members"));
            var committed = lines.Single("kafka_consumergroup", ("consumergroup", group), ("partition", "1"), ("topic", Topics[0]));
            Assert.Equal(60, committed.Int("current_offset"));
            Assert.Equal(40, committed.Int("lag"));
        }
    }
}
