using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads every online partition's earliest and latest offset with ListOffsets calls that each hold
/// the partitions of one leader (so each call is one request), at most
/// <see cref="ListOffsetsBatchSize"/> partitions per call.
/// </summary>
internal sealed class WatermarksReader(IKafkaAdmin admin, ClientHealth health, ReaderSettings settings)
{
    /// <summary>
    /// Most partitions in one ListOffsets call. librdkafka 2.16's ListOffsets admin call costs CPU
    /// quadratic in the partitions of one call (measured here: 10,000 partitions 0.46 s, 20,000 1.6 s,
    /// 50,000 9.5 s), so offsets are asked in calls of at most this many partitions, each holding the
    /// partitions of one leader so that it is one request. At 50,000 partitions, calls of 4,000 /
    /// 2,000 / 1,000 / 500 cost 1.28 / 0.74 / 0.39 / 0.27 s per side: 1,000 is past the knee, at one
    /// request per 1,000 partitions.
    /// </summary>
    internal const int ListOffsetsBatchSize = 1_000;

    /// <param name="include">The partitions to read (a shard's, README, Sharding); all when null.</param>
    public async Task ReadAsync(ClusterMetadata metadata, Deadline deadline, IGatherSink sink, Func<string, PartitionInfo, bool>? include = null)
    {
        // An offline partition has no leader to ask; asking anyway would stall the call until its timeout.
        var online = metadata.Topics
            .SelectMany(t => t.Partitions
                .Where(p => p.Leader >= 0 && (include is null || include(t.Name, p)))
                .Select(p => (Leader: p.Leader, Partition: new TopicPartition(t.Name, p.Id))))
            .ToList();
        if (online.Count == 0)
        {
            return;
        }
        if (deadline.Expired)
        {
            await sink.SendErrorAsync("watermarks", $"{online.Count} partitions not read: the gather deadline was reached").ConfigureAwait(false);
            return;
        }

        // The same partition may appear only once per ListOffsets call, so earliest and latest are separate
        // calls; both sides share one bound of max_concurrent_requests.
        var earliest = new OffsetSide("earliest", OffsetSpec.Earliest());
        var latest = new OffsetSide("latest", OffsetSpec.Latest());
        var calls = ByLeaderInBatches(online).SelectMany(batch => new[] { (Batch: batch, Side: earliest), (Batch: batch, Side: latest) });
        await BoundedFanOut.RunAsync(calls, settings.MaxConcurrentRequests, deadline,
            call => ListOffsetsAsync(call.Batch, call.Side.Spec, deadline),
            record: (call, answer) => call.Side.Record(answer),
            notStarted: call => call.Side.AddFailures(call.Batch, "not read before the gather deadline"),
            unanswered: call => call.Side.AddFailures(call.Batch, "no answer before the gather deadline"))
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
        await sink.SendErrorsAsync(earliest.Failures).ConfigureAwait(false);
        await sink.SendErrorsAsync(latest.Failures).ConfigureAwait(false);
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

    /// <summary>
    /// One ListOffsets call for one side. A call that fails as a whole counts every partition in it as
    /// failed, except when it failed because a topic is unknown: a topic deleted after Metadata was
    /// read makes librdkafka fail the whole call, which would cost every other topic of the leader its
    /// offsets. Such a call is split in two by topic and each half asked again, so a deleted topic
    /// costs its own partitions and about log2(topics) more calls.
    /// </summary>
    private async Task<ListOffsetsAnswer> ListOffsetsAsync(TopicPartition[] partitions, OffsetSpec spec, Deadline deadline)
    {
        var answer = new ListOffsetsAnswer();
        await ListOffsetsAsync(partitions, spec, deadline, answer).ConfigureAwait(false);
        return answer;
    }

    private async Task ListOffsetsAsync(TopicPartition[] partitions, OffsetSpec spec, Deadline deadline, ListOffsetsAnswer answer)
    {
        if (await TryListOffsetsAsync(partitions, spec, answer).ConfigureAwait(false) is not { } callError)
        {
            return;
        }
        var topics = partitions.Select(p => p.Topic).Distinct().ToArray();
        if (topics.Length > 1 && KafkaErrors.IsUnknownTopic(callError.Code) && !deadline.Expired)
        {
            var firstHalf = topics.Take(topics.Length / 2).ToHashSet();
            await ListOffsetsAsync([.. partitions.Where(p => firstHalf.Contains(p.Topic))], spec, deadline, answer).ConfigureAwait(false);
            await ListOffsetsAsync([.. partitions.Where(p => !firstHalf.Contains(p.Topic))], spec, deadline, answer).ConfigureAwait(false);
            return;
        }
        var reason = health.Describe(callError);
        answer.Failures.AddRange(partitions.Select(p => (p, reason)));
    }

    /// <summary>One ListOffsets call; returns the error when the call failed as a whole, having recorded nothing.</summary>
    private async Task<Error?> TryListOffsetsAsync(TopicPartition[] partitions, OffsetSpec spec, ListOffsetsAnswer answer)
    {
        var specs = partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = spec });
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
                return e.Result.Error;
            }
        }
        catch (KafkaException e)
        {
            return e.Error;
        }

        foreach (var info in results)
        {
            var offset = info.TopicPartitionOffsetError;
            if (offset.Error.IsError || offset.Offset.Value < 0)
            {
                // A partition whose leader did not answer comes back without an error of its own
                // (offset -1); the call's error says why.
                var reason = offset.Error.IsError ? offset.Error : callError ?? new Error(ErrorCode.Unknown, "no offset returned");
                answer.Failures.Add((offset.TopicPartition, health.Describe(reason)));
                continue;
            }
            answer.Offsets.Add((offset.TopicPartition, offset.Offset.Value));
        }
        return null;
    }

    /// <summary>What one ListOffsets call (with its splits) answered, recorded into its side by the fan-out.</summary>
    private sealed class ListOffsetsAnswer
    {
        public List<(TopicPartition Partition, long Offset)> Offsets { get; } = [];

        public List<(TopicPartition Partition, string Reason)> Failures { get; } = [];
    }

    /// <summary>
    /// The offsets read for one side (earliest or latest) and the partitions that failed. Written only
    /// by the fan-out's record step, one call at a time, so it needs no lock (Kafka/BoundedFanOut.cs).
    /// </summary>
    private sealed class OffsetSide(string name, OffsetSpec spec)
    {
        private readonly Dictionary<TopicPartition, long> _offsets = [];

        public OffsetSpec Spec { get; } = spec;

        public FailureTally Failures { get; } = new("watermarks", $"{name} offset of partition");

        public IReadOnlyDictionary<TopicPartition, long> Offsets => _offsets;

        public void Record(ListOffsetsAnswer answer)
        {
            foreach (var (partition, offset) in answer.Offsets)
            {
                _offsets[partition] = offset;
            }
            foreach (var (partition, reason) in answer.Failures)
            {
                Failures.Add($"{partition.Topic}/{partition.Partition.Value}", reason);
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
}
