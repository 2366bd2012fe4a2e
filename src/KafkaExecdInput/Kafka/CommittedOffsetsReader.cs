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
        await BoundedFanOut.RunAsync(groups, settings.MaxConcurrentRequests, deadline,
            groupId => FetchGroupAsync(groupId, deadline),
            record: async (groupId, fetched) =>
            {
                foreach (var failure in fetched.Failures)
                {
                    failures.Add(groupId, failure);
                }
                if (fetched.Offsets is not { } offsets)
                {
                    return;
                }
                batch.Add(offsets);
                if (batch.Count >= GroupsPerPart)
                {
                    await sink.SendAsync(new GroupOffsetsPart(batch.ToArray())).ConfigureAwait(false);
                    batch.Clear();
                }
            },
            notStarted: groupId => failures.Add(groupId, "committed offsets not fetched before the gather deadline"),
            unanswered: groupId => failures.Add(groupId, "committed offsets: no answer before the gather deadline"))
            .ConfigureAwait(false);

        if (batch.Count > 0)
        {
            await sink.SendAsync(new GroupOffsetsPart(batch.ToArray())).ConfigureAwait(false);
        }
        return failures;
    }

    /// <summary>One group's committed offsets, null when they could not be fetched; and what went wrong.</summary>
    private sealed record FetchedGroup(GroupOffsets? Offsets, IReadOnlyList<string> Failures);

    private async Task<FetchedGroup> FetchGroupAsync(string groupId, Deadline deadline)
    {
        var failures = new List<string>();
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
                return new FetchedGroup(null, [KafkaErrors.Describe(e)]);
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
            return new FetchedGroup(null, [health.DescribeCoordinatorFailure(error)]);
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
                failures.Add($"committed offset of {partition.Topic}/{partition.Partition.Value}: {KafkaErrors.Describe(partition.Error)}");
                continue;
            }
            // Kafka answers -1 for a partition without a commit (Offset.Unset here): omitted, not reported as -1.
            if (partition.Offset.Value >= 0)
            {
                committed.Add(new CommittedOffset(partition.Topic, partition.Partition.Value, partition.Offset.Value));
            }
        }
        return new FetchedGroup(GroupOffsets.From(groupId, committed), failures);
    }
}
