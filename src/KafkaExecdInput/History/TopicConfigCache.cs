using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.History;

/// <summary>
/// Topic configs across gathers: configs change rarely, so DescribeConfigs runs at most once per
/// <see cref="Interval"/> and the gathers in between reuse what it read. It lives in the parent, so a
/// worker crash loses nothing. A refresh that read nothing (the worker died, the deadline) is asked
/// again on the next gather; one that was answered, even with a denial, waits the interval: a missing
/// permission is a lasting state, warned about once per refresh instead of every gather.
/// </summary>
/// <param name="keys">Every key to read: those reported as configs and those other families need (min.insync.replicas).</param>
/// <param name="reportedKeys">The keys written as topic configs (topic_configs, when the topic_config family is on).</param>
internal sealed class TopicConfigCache(IReadOnlyList<string> keys, IReadOnlyCollection<string> reportedKeys, TimeSpan interval, TimeProvider time, ILogger logger)
{
    private DateTimeOffset? _refreshedAt;

    /// <summary>The configs each refresh asks for (what the families that are on need).</summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    public TimeSpan Interval { get; } = interval;

    /// <summary>What the last refresh read, or null before the first one.</summary>
    public TopicConfigTable? Current { get; private set; }

    /// <summary>The keys to ask for in this gather, or null when the last refresh is recent enough.</summary>
    public IReadOnlyList<string>? KeysDue() =>
        Keys.Count > 0 && (_refreshedAt is not { } at || time.GetUtcNow() - at >= Interval) ? Keys : null;

    /// <summary>Takes a gather's result: <paramref name="read"/> is null when the refresh was due but nothing arrived.</summary>
    public void Store(TopicConfigsPart? read)
    {
        if (read is null)
        {
            return;
        }
        _refreshedAt = time.GetUtcNow();
        Current = new TopicConfigTable(read.Topics, reportedKeys);
        if (read.Denied is { } denied)
        {
            logger.LogWarning("topic configs not readable (missing permission? asked again in {Interval}): {Denied}",
                Configuration.DurationText.Format(Interval), denied);
        }
    }
}
