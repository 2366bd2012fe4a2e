using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads one gather from Kafka through the AdminClient and sends it in parts (design.md §2, §5).
/// Order matters: committed offsets are read before high watermarks so that a commit landing
/// during the gather can never make lag negative; metadata and group reads run side by side.
/// Every failure becomes a <see cref="GatherError"/>; nothing read is ever dropped for it.
/// </summary>
internal sealed class KafkaReader(
    IAdminClient admin,
    ClientHealth health,
    ReaderSettings settings,
    ILogger logger)
{
    /// <summary>Groups per DescribeConsumerGroups call; also the batch size of offset parts sent.</summary>
    internal const int GroupBatchSize = 100;

    /// <summary>
    /// Most partitions in one ListOffsets call. librdkafka 2.16's ListOffsets admin call costs CPU
    /// quadratic in the partitions of one call (measured here: 10,000 partitions 0.46 s, 20,000 1.6 s,
    /// 50,000 9.5 s), so offsets are asked in calls of at most this many partitions, each holding the
    /// partitions of one leader so that it is one request. At 50,000 partitions, calls of 4,000 /
    /// 2,000 / 1,000 / 500 cost 1.28 / 0.74 / 0.39 / 0.27 s per side: 1,000 is past the knee, at one
    /// request per 1,000 partitions.
    /// </summary>
    internal const int ListOffsetsBatchSize = 1_000;

    /// <summary>Metadata requests per gather when they time out: each goes to one broker, chosen by librdkafka.</summary>
    private const int MetadataAttempts = 3;

    /// <summary>Group listings per gather when one fails fast (a broker answered with an error).</summary>
    private const int ListGroupsAttempts = 3;

    /// <summary>Offset fetches per group while its coordinator is still loading.</summary>
    private const int OffsetFetchAttempts = 3;

    /// <summary>Pause before asking a loading coordinator again (Kafka's retry.backoff.ms default).</summary>
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    private readonly NameSelection _names = new(settings.Topics, settings.Groups, logger);

    public async Task GatherAsync(GatherRequest request, IGatherSink sink)
    {
        var deadline = new Deadline(request.Budget);
        var metadataTask = request.WantMetadata || request.WantWatermarks
            ? Task.Run(() => ReadMetadataAsync(deadline, sink))
            : Task.FromResult<ClusterMetadata?>(null);
        var groupsTask = ReadGroupsAndOffsetsAsync(request, deadline, sink);

        var metadata = await metadataTask.ConfigureAwait(false);
        if (metadata is not null && request.WantMetadata)
        {
            await sink.SendAsync(new MetadataPart(metadata)).ConfigureAwait(false);
        }

        if (request.WantWatermarks && metadata is not null)
        {
            await WaitForCommittedOffsetsAsync(groupsTask, deadline, request.Budget).ConfigureAwait(false);
            await ReadWatermarksAsync(metadata, deadline, sink).ConfigureAwait(false);
        }
        await groupsTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Committed offsets are read before high watermarks, so that lag is never understated
    /// (design.md §4). But a group phase held up by a slow or unreachable coordinator must not use
    /// up the whole deadline: that would cost the offsets of every partition, and with them every
    /// group's lag. So the watermarks start once the groups are done, or at the latest when a
    /// ListOffsets call still fits before the deadline (at most half the budget is held back);
    /// offset fetches still running then go on and are kept.
    /// </summary>
    private async Task WaitForCommittedOffsetsAsync(Task groupsTask, Deadline deadline, TimeSpan budget)
    {
        var reserve = settings.AdminCallTimeout < budget / 2 ? settings.AdminCallTimeout : budget / 2;
        var wait = deadline.Remaining - reserve;
        if (wait > TimeSpan.Zero && !groupsTask.IsCompleted)
        {
            await Task.WhenAny(groupsTask, Task.Delay(wait)).ConfigureAwait(false);
        }
    }

    private async Task<ClusterMetadata?> ReadMetadataAsync(Deadline deadline, IGatherSink sink)
    {
        Metadata metadata;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // GetMetadata has no async form; it blocks this pool thread for at most the timeout.
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
                await SendErrorAsync(sink, "metadata", KafkaErrors.Describe(e) + health.DescribeLastError()).ConfigureAwait(false);
                return null;
            }
        }

        var brokers = metadata.Brokers.Select(b => new BrokerInfo(b.BrokerId, b.Host, b.Port)).ToList();
        var topics = new List<TopicInfo>(metadata.Topics.Count);
        var topicFailures = new FailureTally("metadata", "topic");
        foreach (var topic in metadata.Topics)
        {
            if (!_names.IncludesTopic(topic.Topic))
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
        await SendErrorsAsync(sink, topicFailures).ConfigureAwait(false);
        logger.LogDebug("metadata: {Brokers} brokers, {Topics} topics after filtering", brokers.Count, topics.Count);
        return new ClusterMetadata(brokers, topics);
    }

    private async Task ReadGroupsAndOffsetsAsync(GatherRequest request, Deadline deadline, IGatherSink sink)
    {
        // One bound on offset fetches in flight, however many batches of groups are being fetched.
        using var offsetSlots = new SemaphoreSlim(settings.MaxConcurrentRequests);
        var offsetFailures = new FailureTally("offsets", "group");
        if (!request.WantGroups)
        {
            await FetchCommittedOffsetsAsync(request.OffsetGroups.Resolve([]), deadline, sink, offsetSlots, offsetFailures).ConfigureAwait(false);
            await SendErrorsAsync(sink, offsetFailures).ConfigureAwait(false);
            return;
        }

        var failures = new FailureTally("groups", "group");
        var (listed, listingFailure) = await ListGroupsAsync(deadline).ConfigureAwait(false);
        var missing = request.KnownGroups.Where(g => !listed.ContainsKey(g) && _names.IncludesGroup(g)).ToList();
        // Groups the listing found but could not describe (their coordinator answered DescribeGroups
        // with an error, typically while loading or moving) are asked again, one by one.
        var undescribed = listed.Values.Where(g => g.MemberCount is null).Select(g => g.GroupId).ToList();
        if (missing.Count == 0 && undescribed.Count == 0 && request.WantGroups)
        {
            // Sent before any offset fetch, so that a worker crash in one (design.md §5) resumes
            // with these groups and fetches only the offsets still missing.
            await sink.SendAsync(new GroupsPart([.. listed.Values])).ConfigureAwait(false);
        }

        // Offsets are fetched without waiting for groups to be described: they are missing because a
        // broker failed, and waiting for it would cost every group's offsets. (Offsets of a group that
        // turns out to be deleted are left out with the group.) Until the described groups are sent,
        // a worker crash makes the resumed gather list the groups again.
        var offsets = FetchCommittedOffsetsAsync(
            request.OffsetGroups.Resolve([.. listed.Keys, .. missing]), deadline, sink, offsetSlots, offsetFailures);
        if (missing.Count > 0 || undescribed.Count > 0)
        {
            var described = (await DescribeGroupsAsync([.. undescribed, .. missing], deadline, failures).ConfigureAwait(false))
                .ToDictionary(g => g.GroupId, StringComparer.Ordinal);
            foreach (var groupId in undescribed)
            {
                // Not described any more: deleted since it was listed.
                if (!described.Remove(groupId, out var group))
                {
                    listed.Remove(groupId);
                    continue;
                }
                listed[groupId] = group;
            }
            if (request.WantGroups)
            {
                await sink.SendAsync(new GroupsPart([.. listed.Values, .. described.Values])).ConfigureAwait(false);
            }
            await SendListingErrorAsync(sink, listingFailure, recoveredCount: described.Count).ConfigureAwait(false);
        }
        else if (listingFailure is not null)
        {
            await SendListingErrorAsync(sink, listingFailure, recoveredCount: 0).ConfigureAwait(false);
        }
        await SendErrorsAsync(sink, failures).ConfigureAwait(false);

        await offsets.ConfigureAwait(false);
        await SendErrorsAsync(sink, offsetFailures).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists groups with librdkafka's classic group listing (ListGroups, then one batched
    /// DescribeGroups per broker). The newer ListConsumerGroups admin call crashes librdkafka 2.16
    /// whenever any broker fails to answer ListGroups (Kafka/README.md); the classic call does not,
    /// but it can silently drop the groups of a broker that failed. The caller therefore describes
    /// groups known from earlier gathers that are missing from the listing one by one.
    /// </summary>
    private async Task<(Dictionary<string, ConsumerGroupInfo> Listed, string? Failure)> ListGroupsAsync(Deadline deadline)
    {
        var listed = new Dictionary<string, ConsumerGroupInfo>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var callTimeout = deadline.CallTimeout(settings.RequestTimeout);
            var startedAt = Stopwatch.GetTimestamp();
            try
            {
                // A synchronous call: it blocks this pool thread for at most the timeout.
                var groups = await Task.Run(() => admin.ListGroups(callTimeout)).ConfigureAwait(false);
                foreach (var group in groups)
                {
                    if (!_names.IncludesGroup(group.Group) || listed.ContainsKey(group.Group))
                    {
                        continue;
                    }
                    // A group that could not be described gets no member count; the caller describes it again.
                    listed[group.Group] = new ConsumerGroupInfo(group.Group, group.State, group.Error.IsError ? null : group.Members.Count);
                }
                return (listed, null);
            }
            catch (KafkaException e) when (attempt < ListGroupsAttempts && !deadline.Expired
                && Stopwatch.GetElapsedTime(startedAt) < callTimeout / 2)
            {
                // One broker's error loses the whole listing (librdkafka keeps only the error). A quick
                // failure is a broker that answered with an error (coordinator loading or moving, or a
                // broker just removed from the cluster), often gone a moment later: ask again.
                logger.LogDebug("listing consumer groups: {Error}; asking again", KafkaErrors.Describe(e));
            }
            catch (KafkaException e)
            {
                return (listed, KafkaErrors.Describe(e) + health.DescribeLastError());
            }
        }
    }

    private Task SendListingErrorAsync(IGatherSink sink, string? listingFailure, int recoveredCount) =>
        listingFailure is not null
            ? SendErrorAsync(sink, "groups", recoveredCount > 0
                ? $"listing consumer groups failed ({listingFailure}); {recoveredCount} groups known from earlier gathers were described one by one, new groups are missing"
                : $"listing consumer groups failed: {listingFailure}")
            : recoveredCount > 0
                ? SendErrorAsync(sink, "groups",
                    $"the group listing missed {recoveredCount} existing groups (a broker's ListGroups failed); they were described one by one, new groups on that broker are missing")
                : Task.CompletedTask;

    /// <summary>
    /// Describes groups one coordinator round trip each (inside librdkafka); returns the groups that
    /// exist. A group that is gone (Dead, or unknown to Kafka) was deleted since it was last seen and
    /// is not a failure; a group whose coordinator cannot answer (or that is not asked before the
    /// deadline) is kept with an unknown member count.
    /// </summary>
    private async Task<IReadOnlyList<ConsumerGroupInfo>> DescribeGroupsAsync(IReadOnlyList<string> groupIds, Deadline deadline, FailureTally failures)
    {
        var found = new List<ConsumerGroupInfo>();
        await ForEachBoundedAsync(groupIds.Chunk(GroupBatchSize), deadline, async batch =>
        {
            List<ConsumerGroupDescription> descriptions;
            try
            {
                var result = await admin.DescribeConsumerGroupsAsync(batch, new DescribeConsumerGroupsOptions
                {
                    RequestTimeout = settings.AdminCallTimeout,
                }).ConfigureAwait(false);
                descriptions = result.ConsumerGroupDescriptions;
            }
            catch (DescribeConsumerGroupsException e)
            {
                descriptions = e.Results.ConsumerGroupDescriptions;
            }
            catch (KafkaException e)
            {
                descriptions = [.. batch.Select(id => new ConsumerGroupDescription { GroupId = id, Error = e.Error })];
            }
            lock (found)
            {
                foreach (var description in descriptions)
                {
                    if (description.Error.Code == ErrorCode.GroupIdNotFound
                        || (!description.Error.IsError && description.State == ConsumerGroupState.Dead))
                    {
                        continue;
                    }
                    if (description.Error.IsError)
                    {
                        failures.Add(description.GroupId, "describe: " + DescribeCoordinatorError(description.Error));
                        found.Add(new ConsumerGroupInfo(description.GroupId, nameof(ConsumerGroupState.Unknown), MemberCount: null));
                        continue;
                    }
                    found.Add(new ConsumerGroupInfo(description.GroupId, description.State.ToString(), description.Members.Count));
                }
            }
        }, notStarted: batch =>
        {
            lock (found)
            {
                foreach (var groupId in batch)
                {
                    failures.Add(groupId, "describe: not started before the gather deadline");
                    found.Add(new ConsumerGroupInfo(groupId, nameof(ConsumerGroupState.Unknown), MemberCount: null));
                }
            }
        }).ConfigureAwait(false);
        return found;
    }

    /// <summary>Fetches and sends the groups' committed offsets; failures go to <paramref name="failures"/>, for the caller to send.</summary>
    private async Task FetchCommittedOffsetsAsync(
        IReadOnlyList<string> groups, Deadline deadline, IGatherSink sink, SemaphoreSlim slots, FailureTally failures)
    {
        var batch = new List<GroupOffsets>(GroupBatchSize);
        var sendLock = new SemaphoreSlim(1, 1);

        async Task AddAsync(GroupOffsets offsets)
        {
            await sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                batch.Add(offsets);
                if (batch.Count >= GroupBatchSize)
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

        // ListConsumerGroupOffsets takes exactly one group per call (design.md §5): bound the fan-out.
        await ForEachBoundedAsync(groups, deadline, async groupId =>
        {
            var offsets = await FetchGroupOffsetsAsync(groupId, deadline, failures).ConfigureAwait(false);
            if (offsets is not null)
            {
                await AddAsync(offsets).ConfigureAwait(false);
            }
        }, notStarted: groupId => failures.Add(groupId, "committed offsets not fetched before the gather deadline"), slots)
            .ConfigureAwait(false);

        if (batch.Count > 0)
        {
            await sink.SendAsync(new GroupOffsetsPart(batch.ToArray())).ConfigureAwait(false);
        }
    }

    private async Task<GroupOffsets?> FetchGroupOffsetsAsync(string groupId, Deadline deadline, FailureTally failures)
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
            // too, but librdkafka 2.16 crashes on it before this code sees it: Kafka/README.md.)
            if (error.Code == ErrorCode.GroupLoadInProgress && attempt < OffsetFetchAttempts && !deadline.Expired)
            {
                await Task.Delay(RetryBackoff).ConfigureAwait(false);
                continue;
            }
            failures.Add(groupId, DescribeCoordinatorError(error));
            return null;
        }

        var committed = new List<CommittedOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            if (!_names.IncludesTopic(partition.Topic))
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

    private async Task ReadWatermarksAsync(ClusterMetadata metadata, Deadline deadline, IGatherSink sink)
    {
        // An offline partition has no leader to ask; asking anyway would stall the call until its timeout.
        var online = metadata.Topics
            .SelectMany(t => t.Partitions.Where(p => p.Leader >= 0).Select(p => (Leader: p.Leader, Partition: new TopicPartition(t.Name, p.Id))))
            .ToList();
        if (online.Count == 0)
        {
            return;
        }
        if (deadline.Expired)
        {
            await SendErrorAsync(sink, "watermarks", $"{online.Count} partitions not read: the gather deadline was reached").ConfigureAwait(false);
            return;
        }

        // The same partition may appear only once per ListOffsets call, so earliest and latest are separate
        // calls; both sides share one bound of max_concurrent_requests.
        var earliest = new OffsetSide("earliest", OffsetSpec.Earliest());
        var latest = new OffsetSide("latest", OffsetSpec.Latest());
        var calls = ByLeaderInBatches(online).SelectMany(batch => new[] { (Batch: batch, Side: earliest), (Batch: batch, Side: latest) });
        await ForEachBoundedAsync(calls, deadline,
            call => ListOffsetsAsync(call.Batch, call.Side),
            notStarted: call => call.Side.AddFailures(call.Batch, "not read before the gather deadline"))
            .ConfigureAwait(false);

        var watermarks = new WatermarkTable();
        foreach (var (_, partition) in online)
        {
            if (earliest.Offsets.TryGetValue(partition, out var e))
            {
                watermarks.SetEarliest(partition.Topic, partition.Partition.Value, e);
            }
            if (latest.Offsets.TryGetValue(partition, out var l))
            {
                watermarks.SetLatest(partition.Topic, partition.Partition.Value, l);
            }
        }
        await sink.SendAsync(new WatermarksPart(watermarks)).ConfigureAwait(false);
        await SendErrorsAsync(sink, earliest.Failures).ConfigureAwait(false);
        await SendErrorsAsync(sink, latest.Failures).ConfigureAwait(false);
    }

    /// <summary>The partitions of each leader, in calls of at most <see cref="ListOffsetsBatchSize"/> of equal size.</summary>
    private static List<TopicPartition[]> ByLeaderInBatches(IEnumerable<(int Leader, TopicPartition Partition)> partitions)
    {
        var batches = new List<TopicPartition[]>();
        foreach (var byLeader in partitions.GroupBy(p => p.Leader))
        {
            var ofLeader = byLeader.Select(p => p.Partition).ToArray();
            var count = (ofLeader.Length + ListOffsetsBatchSize - 1) / ListOffsetsBatchSize;
            var size = (ofLeader.Length + count - 1) / count;
            batches.AddRange(ofLeader.Chunk(size));
        }
        return batches;
    }

    /// <summary>One ListOffsets call for one side; a call that fails as a whole counts every partition in it as failed.</summary>
    private async Task ListOffsetsAsync(TopicPartition[] partitions, OffsetSide side)
    {
        var specs = partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = side.Spec });
        List<ListOffsetsResultInfo> results;
        Error? callError = null;
        try
        {
            var result = await admin.ListOffsetsAsync(specs, new ListOffsetsOptions
            {
                RequestTimeout = settings.AdminCallTimeout,
                IsolationLevel = IsolationLevel.ReadUncommitted,
            }).ConfigureAwait(false);
            results = result.ResultInfos;
        }
        catch (ListOffsetsException e)
        {
            results = e.Result.ResultInfos;
            callError = e.Error;
            if (results.Count == 0)
            {
                side.AddFailures(partitions, DescribeWithContext(e.Result.Error));
            }
        }
        catch (KafkaException e)
        {
            side.AddFailures(partitions, DescribeWithContext(e.Error));
            return;
        }

        foreach (var info in results)
        {
            var offset = info.TopicPartitionOffsetError;
            if (offset.Error.IsError || offset.Offset.Value < 0)
            {
                // A partition whose leader did not answer comes back without an error of its own
                // (offset -1); the call's error says why.
                var reason = offset.Error.IsError ? offset.Error : callError ?? new Error(ErrorCode.Unknown, "no offset returned");
                side.Failures.Add($"{offset.Topic}/{offset.Partition.Value}", DescribeWithContext(reason));
                continue;
            }
            side.Add(offset.TopicPartition, offset.Offset.Value);
        }
    }

    /// <summary>The offsets read for one side (earliest or latest) and the partitions that failed.</summary>
    private sealed class OffsetSide(string name, OffsetSpec spec)
    {
        private readonly Dictionary<TopicPartition, long> _offsets = [];

        public OffsetSpec Spec { get; } = spec;

        public FailureTally Failures { get; } = new("watermarks", $"{name} offset of partition");

        /// <summary>Read only after every call of the side has finished.</summary>
        public IReadOnlyDictionary<TopicPartition, long> Offsets => _offsets;

        public void Add(TopicPartition partition, long offset)
        {
            lock (_offsets)
            {
                _offsets[partition] = offset;
            }
        }

        public void AddFailures(IEnumerable<TopicPartition> partitions, string reason)
        {
            foreach (var partition in partitions)
            {
                Failures.Add($"{partition.Topic}/{partition.Partition.Value}", reason);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with at most max_concurrent_requests in flight (counted in
    /// <paramref name="sharedSlots"/> when several runs share the bound), and starts nothing once the
    /// deadline has passed; what was not started is handed to <paramref name="notStarted"/>.
    /// </summary>
    private async Task ForEachBoundedAsync<T>(
        IEnumerable<T> items, Deadline deadline, Func<T, Task> work, Action<T> notStarted, SemaphoreSlim? sharedSlots = null)
    {
        using var ownSlots = sharedSlots is null ? new SemaphoreSlim(settings.MaxConcurrentRequests) : null;
        var slots = sharedSlots ?? ownSlots!;
        var running = new List<Task>();
        foreach (var item in items)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            if (deadline.Expired)
            {
                slots.Release();
                notStarted(item);
                continue;
            }
            running.Add(RunAsync(item));
        }
        await Task.WhenAll(running).ConfigureAwait(false);

        async Task RunAsync(T item)
        {
            try
            {
                await work(item).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>
    /// For failures of requests to a group coordinator (DescribeGroups, OffsetFetch). A timed-out
    /// one marks this client for replacement: librdkafka 2.16 aborts the process once the connection
    /// to that coordinator comes up again (Kafka/README.md).
    /// </summary>
    private string DescribeCoordinatorError(Error error)
    {
        if (error.Code == ErrorCode.Local_TimedOut)
        {
            health.RecordCoordinatorTimeout();
        }
        return DescribeWithContext(error);
    }

    private string DescribeWithContext(Error error) =>
        error.Code == ErrorCode.Local_TimedOut
            ? KafkaErrors.Describe(error) + health.DescribeLastError()
            : KafkaErrors.Describe(error);

    private Task SendErrorAsync(IGatherSink sink, string source, string message) =>
        sink.ReportAsync(new GatherError(source, message));

    private async Task SendErrorsAsync(IGatherSink sink, FailureTally tally)
    {
        foreach (var error in tally.ToErrors())
        {
            await sink.ReportAsync(error).ConfigureAwait(false);
        }
    }
}
