using System.Globalization;
using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.Tests.LagStatus;

/// <summary>
/// The built plugin run as Telegraf runs it (one newline per gather to one process, the execd loop)
/// with a small lag_status_window, and the lag-status and lag-seconds lines of its output as a user
/// reads them: the text of each line without its timestamp.
/// </summary>
internal sealed class LagStatusSession : IAsyncDisposable
{
    private readonly PluginConfigFile _config;
    private readonly ExecdSession _session;

    private LagStatusSession(PluginConfigFile config, ExecdSession session)
    {
        _config = config;
        _session = session;
    }

    public static LagStatusSession Start(string bootstrapServers, int window, string extraSettings = "")
    {
        var config = new PluginConfigFile(bootstrapServers, $"""
              lag_status_window = {window.ToString(CultureInfo.InvariantCulture)}
            {extraSettings}
            """);
        return new LagStatusSession(config, ExecdSession.Start(config.Path));
    }

    /// <summary>One newline on stdin and the block it answers; a partial gather fails the scenario, whose facts must all be read.</summary>
    public async Task<Gather> GatherAsync()
    {
        var gather = await _session.GatherAsync();
        Assert.False(gather.Partial, gather.ToString());
        return gather;
    }

    public Task<IReadOnlyList<string>> StopAsync() => _session.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        _config.Dispose();
    }
}

internal static class StatusLines
{
    private const string GroupStatus = "kafka_consumergroup_lag_status";
    private const string PartitionStatus = "kafka_consumergroup_partition_lag_status";

    /// <summary>The group's status lines, group line first, then its partitions' in output order, without timestamps.</summary>
    public static IReadOnlyList<string> Of(Gather gather, string group)
    {
        var lines = WithoutTimestamps(gather, group);
        return [.. lines.Where(l => l.StartsWith(GroupStatus + ",", StringComparison.Ordinal)),
            .. lines.Where(l => l.StartsWith(PartitionStatus + ",", StringComparison.Ordinal))];
    }

    /// <summary>The group's per-partition <c>kafka_consumergroup_lag</c> line (seconds and source), or null.</summary>
    public static ParsedLine? SecondsLine(Gather gather, string group, string topic, int partition) =>
        gather.Lines.SingleOrDefault(l => l.Measurement == "kafka_consumergroup_lag" && l.Tags.Count == 3
            && l.Tag("consumergroup") == group && l.Tag("topic") == topic
            && l.Tag("partition") == partition.ToString(CultureInfo.InvariantCulture));

    /// <summary>The time every line of the gather carries (its start), as a time.</summary>
    public static DateTimeOffset Timestamp(Gather gather) =>
        DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(long.Parse(gather.Text.Split('\n')[0].Split(' ')[^1], CultureInfo.InvariantCulture) / 100);

    public static string Group(string group, string status, int code, string complete) =>
        $"{GroupStatus},consumergroup={group} status=\"{status}\",status_code={code}i,complete={complete}";

    public static string Partition(string group, string topic, int partition, string status, int code, string complete) =>
        $"{PartitionStatus},consumergroup={group},partition={partition},topic={topic} status=\"{status}\",status_code={code}i,complete={complete}";

    private static List<string> WithoutTimestamps(Gather gather, string group) =>
        [.. gather.Text.Split('\n')
            .Where(l => l.StartsWith(GroupStatus + ",", StringComparison.Ordinal) || l.StartsWith(PartitionStatus + ",", StringComparison.Ordinal))
            .Where(l => l.Contains($",consumergroup={group},", StringComparison.Ordinal) || l.Contains($",consumergroup={group} ", StringComparison.Ordinal))
            .Select(l => l[..l.LastIndexOf(' ')])];
}
