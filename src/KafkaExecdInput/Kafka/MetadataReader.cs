using Confluent.Kafka;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads brokers, topics and partitions with one Metadata request, asked again when it times out.
/// Topics outside the topic filter are left out here, so nothing later asks about them.
/// </summary>
internal sealed class MetadataReader(IKafkaAdmin admin, ClientHealth health, ReaderSettings settings, NameSelection names, ILogger logger)
{
    /// <summary>Metadata requests per gather when they time out: each goes to one broker, chosen by librdkafka.</summary>
    internal const int MetadataAttempts = 3;

    /// <summary>Returns the metadata, or null after sending the error that says why there is none.</summary>
    public async Task<ClusterMetadata?> ReadAsync(Deadline deadline, IGatherSink sink)
    {
        Metadata metadata;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // GetMetadata has no async form; it blocks this thread for at most the timeout.
                metadata = admin.GetMetadata(deadline.CallTimeout(settings.RequestTimeout));
                break;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_TimedOut && attempt < MetadataAttempts && !deadline.Expired)
            {
                // The request went to one broker, which did not answer in time. librdkafka drops a
                // connection whose request timed out, so the next attempt goes to another broker:
                // one slow broker must not cost every topic.
                logger.LogDebug("metadata: {Error}; asking again", KafkaErrors.Describe(e));
            }
            catch (KafkaException e)
            {
                await sink.SendErrorAsync("metadata", KafkaErrors.Describe(e) + health.DescribeLastError()).ConfigureAwait(false);
                return null;
            }
        }

        var brokers = metadata.Brokers.Select(b => new BrokerInfo(b.BrokerId, b.Host, b.Port)).ToList();
        var topics = new List<TopicInfo>(metadata.Topics.Count);
        var topicFailures = new FailureTally("metadata", "topic");
        foreach (var topic in metadata.Topics)
        {
            if (!names.IncludesTopic(topic.Topic))
            {
                continue;
            }
            if (topic.Error.IsError && topic.Partitions.Count == 0)
            {
                topicFailures.Add(topic.Topic, KafkaErrors.Describe(topic.Error));
                continue;
            }
            var partitions = topic.Partitions
                .Select(p => new PartitionInfo(p.PartitionId, p.Leader, p.Replicas, p.InSyncReplicas))
                .ToList();
            topics.Add(new TopicInfo(topic.Topic, partitions));
        }
        await sink.SendErrorsAsync(topicFailures).ConfigureAwait(false);
        logger.LogDebug("metadata: {Brokers} brokers, {Topics} topics after filtering", brokers.Count, topics.Count);
        return new ClusterMetadata(brokers, topics);
    }
}
