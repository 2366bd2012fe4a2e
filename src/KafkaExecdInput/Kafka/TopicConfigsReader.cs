using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads the chosen configs of every topic in the metadata with DescribeConfigs. librdkafka sends all
/// topic resources of one call in one request, so the topics go in calls of at most
/// <see cref="TopicsPerCall"/>: a few requests per refresh, never one per topic. Kafka returns every
/// config of a topic; only the chosen keys cross the process boundary.
/// </summary>
internal sealed class TopicConfigsReader(IKafkaAdmin admin, ClientHealth health, ReaderSettings settings)
{
    public const string Source = "topic_config";

    /// <summary>
    /// Topics per DescribeConfigs call (one request): Kafka answers ~30 entries per topic, so 1,000
    /// topics is a response of a few MB at most, and 5,000 topics are five requests per refresh.
    /// </summary>
    internal const int TopicsPerCall = 1_000;

    public async Task ReadAsync(ClusterMetadata metadata, IReadOnlyList<string> keys, Deadline deadline, IGatherSink sink)
    {
        var topics = metadata.Topics.Where(t => t.Partitions.Count > 0).Select(t => t.Name).ToList();
        if (topics.Count == 0 || keys.Count == 0)
        {
            await sink.SendAsync(new TopicConfigsPart([])).ConfigureAwait(false);
            return;
        }

        var wanted = new HashSet<string>(keys, StringComparer.Ordinal);
        var read = new List<TopicConfigValues>(topics.Count);
        var failures = new FailureTally(Source, "topic");
        var denied = new FailureTally(Source, "topic");
        await BoundedFanOut.RunAsync(topics.Chunk(TopicsPerCall), settings.MaxConcurrentRequests, deadline,
            batch => DescribeAsync(batch, deadline),
            record: (_, reports) =>
            {
                foreach (var (topic, entries, error) in reports)
                {
                    if (error is null)
                    {
                        read.Add(new TopicConfigValues(topic, Chosen(entries!, wanted)));
                    }
                    else if (IsDenied(error))
                    {
                        denied.Add(topic, KafkaErrors.Describe(error));
                    }
                    else
                    {
                        failures.Add(topic, health.Describe(error));
                    }
                }
            },
            notStarted: batch => AddFailures(batch, "configs not read before the gather deadline"),
            unanswered: batch => AddFailures(batch, "configs: no answer before the gather deadline")).ConfigureAwait(false);

        void AddFailures(string[] batch, string reason)
        {
            foreach (var topic in batch)
            {
                failures.Add(topic, reason);
            }
        }

        var deniedText = denied.ToErrors() is { Count: > 0 } d ? string.Join("; ", d.Select(e => e.Message)) : null;
        await sink.SendAsync(new TopicConfigsPart(read, deniedText)).ConfigureAwait(false);
        await sink.SendErrorsAsync(failures).ConfigureAwait(false);
    }

    private async Task<List<(string Topic, Dictionary<string, ConfigEntryResult>? Entries, Error? Error)>> DescribeAsync(
        string[] batch, Deadline deadline)
    {
        var resources = batch.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t });
        var options = new DescribeConfigsOptions { RequestTimeout = deadline.CallTimeout(settings.AdminCallTimeout) };
        try
        {
            var results = await admin.DescribeConfigsAsync(resources, options).ConfigureAwait(false);
            return [.. results.Select(r => (r.ConfigResource.Name, (Dictionary<string, ConfigEntryResult>?)r.Entries, (Error?)null))];
        }
        catch (DescribeConfigsException e)
        {
            // Some resources failed: the others are still in the results.
            return [.. e.Results.Select(r => (r.ConfigResource.Name, (Dictionary<string, ConfigEntryResult>?)r.Entries, r.Error.IsError ? r.Error : null))];
        }
        catch (KafkaException e)
        {
            return [.. batch.Select(t => (t, (Dictionary<string, ConfigEntryResult>?)null, (Error?)e.Error))];
        }
    }

    private static List<ConfigValue> Chosen(Dictionary<string, ConfigEntryResult> entries, HashSet<string> wanted)
    {
        var chosen = new List<ConfigValue>(wanted.Count);
        foreach (var (key, entry) in entries)
        {
            // A sensitive value comes back null: there is nothing to report.
            if (wanted.Contains(key) && entry.Value is { } value)
            {
                chosen.Add(new ConfigValue(key, value));
            }
        }
        return chosen;
    }

    private static bool IsDenied(Error error) =>
        error.Code is ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed;
}
