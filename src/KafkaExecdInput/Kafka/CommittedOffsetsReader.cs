using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Fetches groups' committed offsets, one ListConsumerGroupOffsets call per group (the call takes
/// exactly one, design.md §5), and sends them in parts as they complete.
/// </summary>
internal sealed class CommittedOffsetsReader(IKafkaAdmin admin, ClientHealth health, ReaderSettings settings, NameSelection names, TimeProvider time)
{
    /// <summary>Groups per <see cref="GroupOffsetsPart"/> sent.</summary>
    internal const int GroupsPerPart = 100;

    /// <summary>Offset fetches per group while its coordinator is still loading.</summary>
    internal const int OffsetFetchAttempts = 3;

    /// <summary>Pause before asking a loading coordinator again (Kafka's retry.backoff.ms default).</summary>
    internal static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Fetches and sends the groups' committed offsets; returns the failures, for the caller to send
    /// when its other errors have been sent.
    /// </summary>
    public async Task<FailureTally> FetchAsync(IReadOnlyList<string> groups, Deadline deadline, IGatherSink sink)
    {
        var failures = new FailureTally("offsets", "group");
        var batch = new List<GroupOffsets>(GroupsPerPart);
        using var sendLock = new SemaphoreSlim(1, 1);

        async Task AddAsync(GroupOffsets offsets)
        {
            await sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                batch.Add(offsets);
                if (batch.Count >= GroupsPerPart)
                {
                    await sink.SendAsync(new GroupOffsetsPart(batch.ToArray())).ConfigureAwait(false);
                    batch.Clear();
                }
            }
            finally
            {
                sendLock.Release();
            }
        }

        await BoundedFanOut.RunAsync(groups, settings.MaxConcurrentRequests, deadline, async groupId =>
        {
            var offsets = await FetchGroupAsync(groupId, deadline, failures).ConfigureAwait(false);
            if (offsets is not null)
            {
                await AddAsync(offsets).ConfigureAwait(false);
            }
        }, notStarted: groupId => failures.Add(groupId, "committed offsets not fetched before the gather deadline"))
            .ConfigureAwait(false);

        if (batch.Count > 0)
        {
            await sink.SendAsync(new GroupOffsetsPart(batch.ToArray())).ConfigureAwait(false);
        }
        return failures;
    }

    private async Task<GroupOffsets?> FetchGroupAsync(string groupId, Deadline deadline, FailureTally failures)
    {
        List<TopicPartitionOffsetError> partitions;
        for (var attempt = 1; ; attempt++)
        {
            Error error;
            try
            {
                var results = await admin.ListConsumerGroupOffsetsAsync(
                    [new ConsumerGroupTopicPartitions(groupId, null)],
                    new ListConsumerGroupOffsetsOptions { RequestTimeout = settings.AdminCallTimeout })
                    .ConfigureAwait(false);
                partitions = results[0].Partitions;
                break;
            }
            catch (ListConsumerGroupOffsetsException e) when (e.Results.FirstOrDefault() is null)
            {
                failures.Add(groupId, KafkaErrors.Describe(e));
                return null;
            }
            catch (ListConsumerGroupOffsetsException e)
            {
                error = e.Results[0].Error;
            }
            catch (KafkaException e)
            {
                error = e.Error;
            }

            // A coordinator that is still loading its groups (after a restart or a move) answers in a
            // moment; Kafka's clients retry it, and so does this. (NOT_COORDINATOR would be retryable
            // too, but never reaches this code: Kafka/README.md, crash fact `not-coordinator-segv`.)
            if (error.Code == ErrorCode.GroupLoadInProgress && attempt < OffsetFetchAttempts && !deadline.Expired)
            {
                await Task.Delay(RetryBackoff, time).ConfigureAwait(false);
                continue;
            }
            failures.Add(groupId, health.DescribeCoordinatorFailure(error));
            return null;
        }

        var committed = new List<CommittedOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            if (!names.IncludesTopic(partition.Topic))
            {
                continue;
            }
            if (partition.Error.IsError)
            {
                // The group's other partitions are still good; this one is missing, and says why.
                failures.Add(groupId, $"committed offset of {partition.Topic}/{partition.Partition.Value}: {KafkaErrors.Describe(partition.Error)}");
                continue;
            }
            // Kafka answers -1 for a partition without a commit (Offset.Unset here): omitted, not reported as -1.
            if (partition.Offset.Value >= 0)
            {
                committed.Add(new CommittedOffset(partition.Topic, partition.Partition.Value, partition.Offset.Value));
            }
        }
        return GroupOffsets.From(groupId, committed);
    }
}
