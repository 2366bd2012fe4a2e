using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.Snapshot;
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
        await groupsTask.ConfigureAwait(false);

        if (request.WantWatermarks && metadata is not null)
        {
            await ReadWatermarksAsync(metadata, deadline, sink).ConfigureAwait(false);
        }
        await sink.SendAsync(new GatherDonePart(request.GatherId)).ConfigureAwait(false);
    }

    private async Task<ClusterMetadata?> ReadMetadataAsync(Deadline deadline, IGatherSink sink)
    {
        Metadata metadata;
        try
        {
            // GetMetadata has no async form; it blocks this pool thread for at most the timeout.
            metadata = admin.GetMetadata(deadline.CallTimeout(settings.RequestTimeout));
        }
        catch (KafkaException e)
        {
            await SendErrorAsync(sink, "metadata", KafkaErrors.Describe(e) + health.DescribeLastError()).ConfigureAwait(false);
            return null;
        }

        var brokers = metadata.Brokers.Select(b => new BrokerInfo(b.BrokerId, b.Host, b.Port)).ToList();
        var topics = new List<TopicInfo>(metadata.Topics.Count);
        var topicFailures = new FailureTally("metadata", "topic");
        foreach (var topic in metadata.Topics)
        {
            if (!settings.Topics.IsIncluded(topic.Topic))
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
        IReadOnlyList<string> offsetGroups = request.OffsetGroups ?? [];
        if (request.WantGroups || request.OffsetGroups is null)
        {
            var listed = await ListGroupsAsync(request.KnownGroups, deadline, sink).ConfigureAwait(false);
            if (request.WantGroups)
            {
                await sink.SendAsync(new GroupsPart(listed)).ConfigureAwait(false);
            }
            offsetGroups = request.OffsetGroups ?? listed.Select(g => g.GroupId).ToList();
        }
        await FetchCommittedOffsetsAsync(offsetGroups, deadline, sink).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists groups with librdkafka's classic group listing (ListGroups, then one batched
    /// DescribeGroups per broker). The newer ListConsumerGroups admin call crashes librdkafka 2.16
    /// whenever any broker fails to answer ListGroups (Kafka/README.md); the classic call does not,
    /// but it can silently drop the groups of a broker that failed. Groups known from earlier
    /// gathers that are missing from the listing are therefore described one by one.
    /// </summary>
    private async Task<IReadOnlyList<GroupListing>> ListGroupsAsync(IReadOnlyList<string> knownGroups, Deadline deadline, IGatherSink sink)
    {
        var failures = new FailureTally("groups", "group");
        var listed = new Dictionary<string, GroupListing>(StringComparer.Ordinal);
        string? listingFailure = null;
        try
        {
            // A synchronous call: it blocks this pool thread for at most the timeout.
            var groups = await Task.Run(() => admin.ListGroups(deadline.CallTimeout(settings.RequestTimeout))).ConfigureAwait(false);
            foreach (var group in groups)
            {
                if (!settings.Groups.IsIncluded(group.Group) || listed.ContainsKey(group.Group))
                {
                    continue;
                }
                if (group.Error.IsError)
                {
                    failures.Add(group.Group, "describe: " + KafkaErrors.Describe(group.Error));
                }
                listed[group.Group] = new GroupListing(group.Group, group.State, group.Error.IsError ? null : group.Members.Count);
            }
        }
        catch (KafkaException e)
        {
            listingFailure = KafkaErrors.Describe(e) + health.DescribeLastError();
        }

        var missing = knownGroups.Where(g => !listed.ContainsKey(g) && settings.Groups.IsIncluded(g)).ToList();
        var recovered = missing.Count == 0 ? [] : await DescribeGroupsAsync(missing, deadline, failures).ConfigureAwait(false);
        foreach (var group in recovered)
        {
            listed[group.GroupId] = group;
        }

        if (listingFailure is not null)
        {
            await SendErrorAsync(sink, "groups", recovered.Count > 0
                ? $"listing consumer groups failed ({listingFailure}); {recovered.Count} groups known from earlier gathers were described one by one, new groups are missing"
                : $"listing consumer groups failed: {listingFailure}").ConfigureAwait(false);
        }
        else if (recovered.Count > 0)
        {
            await SendErrorAsync(sink, "groups",
                $"the group listing missed {recovered.Count} existing groups (a broker's ListGroups failed); they were described one by one, new groups on that broker are missing")
                .ConfigureAwait(false);
        }
        await SendErrorsAsync(sink, failures).ConfigureAwait(false);
        return listed.Values.ToList();
    }

    /// <summary>
    /// Describes groups one coordinator round trip each (inside librdkafka); returns the groups that
    /// exist. A group that is gone (Dead, or unknown to Kafka) was deleted since it was last seen and
    /// is not a failure; a group whose coordinator cannot answer is kept with an unknown member count.
    /// </summary>
    private async Task<IReadOnlyList<GroupListing>> DescribeGroupsAsync(IReadOnlyList<string> groupIds, Deadline deadline, FailureTally failures)
    {
        var found = new List<GroupListing>();
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
                        failures.Add(description.GroupId, "describe: " + DescribeWithContext(description.Error));
                        found.Add(new GroupListing(description.GroupId, nameof(ConsumerGroupState.Unknown), MemberCount: null));
                        continue;
                    }
                    found.Add(new GroupListing(description.GroupId, description.State.ToString(), description.Members.Count));
                }
            }
        }, notStarted: batch =>
        {
            foreach (var groupId in batch)
            {
                failures.Add(groupId, "describe: not started before the gather deadline");
            }
        }).ConfigureAwait(false);
        return found;
    }

    private async Task FetchCommittedOffsetsAsync(IReadOnlyList<string> groups, Deadline deadline, IGatherSink sink)
    {
        var failures = new FailureTally("offsets", "group");
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
        }, notStarted: groupId => failures.Add(groupId, "committed offsets not fetched before the gather deadline"))
            .ConfigureAwait(false);

        if (batch.Count > 0)
        {
            await sink.SendAsync(new GroupOffsetsPart(batch.ToArray())).ConfigureAwait(false);
        }
        await SendErrorsAsync(sink, failures).ConfigureAwait(false);
    }

    private async Task<GroupOffsets?> FetchGroupOffsetsAsync(string groupId, Deadline deadline, FailureTally failures)
    {
        List<TopicPartitionOffsetError> partitions;
        try
        {
            var results = await admin.ListConsumerGroupOffsetsAsync(
                [new ConsumerGroupTopicPartitions(groupId, null)],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = settings.AdminCallTimeout })
                .ConfigureAwait(false);
            partitions = results[0].Partitions;
        }
        catch (ListConsumerGroupOffsetsException e)
        {
            var report = e.Results.FirstOrDefault();
            failures.Add(groupId, report is null ? KafkaErrors.Describe(e) : DescribeWithContext(report.Error));
            return null;
        }
        catch (KafkaException e)
        {
            failures.Add(groupId, DescribeWithContext(e.Error));
            return null;
        }

        var committed = new List<CommittedOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            // Kafka answers -1 for a partition without a commit (Offset.Unset here): omitted, not reported as -1.
            if (partition.Error.IsError || partition.Offset.Value < 0 || !settings.Topics.IsIncluded(partition.Topic))
            {
                continue;
            }
            committed.Add(new CommittedOffset(partition.Topic, partition.Partition.Value, partition.Offset.Value));
        }
        return new GroupOffsets(groupId, committed);
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

        var watermarks = new List<PartitionWatermarks>(online.Count);
        foreach (var (_, partition) in online)
        {
            long? earliestOffset = earliest.Offsets.TryGetValue(partition, out var e) ? e : null;
            long? latestOffset = latest.Offsets.TryGetValue(partition, out var l) ? l : null;
            if (earliestOffset is not null || latestOffset is not null)
            {
                watermarks.Add(new PartitionWatermarks(partition.Topic, partition.Partition.Value, earliestOffset, latestOffset));
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
                side.Failures.Add($"{offset.Topic}/{offset.Partition.Value}", DescribeWithContext(offset.Error));
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
    /// Runs <paramref name="work"/> with at most max_concurrent_requests in flight, and starts nothing
    /// once the deadline has passed; what was not started is handed to <paramref name="notStarted"/>.
    /// </summary>
    private async Task ForEachBoundedAsync<T>(IEnumerable<T> items, Deadline deadline, Func<T, Task> work, Action<T> notStarted)
    {
        using var slots = new SemaphoreSlim(settings.MaxConcurrentRequests);
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

    private string DescribeWithContext(Error error) =>
        error.Code == ErrorCode.Local_TimedOut
            ? KafkaErrors.Describe(error) + health.DescribeLastError()
            : KafkaErrors.Describe(error);

    private Task SendErrorAsync(IGatherSink sink, string source, string message) =>
        sink.SendAsync(new ErrorPart(new GatherError(source, message)));

    private async Task SendErrorsAsync(IGatherSink sink, FailureTally tally)
    {
        foreach (var error in tally.ToErrors())
        {
            await sink.SendAsync(new ErrorPart(error)).ConfigureAwait(false);
        }
    }
}
