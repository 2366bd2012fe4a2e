using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// Fetch (1), v4-12. librdkafka only produces record batch v2 to a broker that advertises Fetch v4+, so
/// this API is what makes Produce carry timestamps. Produced batches are served as they were written;
/// offsets that exist only through the state API are served as synthetic batches of records with null
/// key and value and the partition's model timestamps, so a consumer can read through them. No fetch
/// sessions (session id 0 tells the client so); an empty answer is held for up to max_wait_ms.
/// </summary>
internal sealed class FetchApi : ApiHandler
{
    private const int MaxSyntheticRecordsPerBatch = 500;
    private static readonly TimeSpan MaxLongPoll = TimeSpan.FromMilliseconds(500);

    public override ApiKey Key => ApiKey.Fetch;

    public override short MinVersion => 4;

    public override short MaxVersion => 12;

    public override short FlexibleFrom => 12;

    private sealed record PartitionFetch(int Index, int CurrentLeaderEpoch, long Offset, int MaxBytes);

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        _ = request.ReadInt32(); // replica id
        var maxWaitMs = request.ReadInt32();
        _ = request.ReadInt32(); // min bytes
        var maxBytes = request.ReadInt32();
        _ = request.ReadInt8(); // isolation level: no transactions, LSO = HW
        if (version >= 7)
        {
            _ = request.ReadInt32(); // session id
            _ = request.ReadInt32(); // session epoch
        }

        var topics = new List<(string Name, List<PartitionFetch> Partitions)>();
        var topicCount = request.ReadArrayLength();
        for (var t = 0; t < topicCount; t++)
        {
            var name = request.ReadString();
            var partitions = new List<PartitionFetch>();
            var partitionCount = request.ReadArrayLength();
            for (var p = 0; p < partitionCount; p++)
            {
                var index = request.ReadInt32();
                var leaderEpoch = version >= 9 ? request.ReadInt32() : -1;
                var offset = request.ReadInt64();
                if (version >= 12)
                {
                    _ = request.ReadInt32(); // last fetched epoch
                }

                if (version >= 5)
                {
                    _ = request.ReadInt64(); // follower log start offset
                }

                var partitionMaxBytes = request.ReadInt32();
                request.SkipTaggedFields();
                partitions.Add(new PartitionFetch(index, leaderEpoch, offset, partitionMaxBytes));
            }

            request.SkipTaggedFields();
            topics.Add((name, partitions));
        }

        response.WriteInt32(0); // throttle time
        if (version >= 7)
        {
            response.WriteInt16(ErrorCodes.None); // session-level error: injected errors go per partition
            response.WriteInt32(0); // session id: no session was created
        }

        var budget = maxBytes <= 0 ? int.MaxValue : maxBytes;
        var anyRecords = false;
        using var records = new KafkaWriter(1024);
        response.WriteArrayLength(topics.Count);
        var cluster = context.Cluster;
        lock (cluster.Sync)
        {
            foreach (var (name, partitions) in topics)
            {
                var topic = cluster.FindTopicLocked(name);
                response.WriteString(name);
                response.WriteArrayLength(partitions.Count);
                foreach (var fetch in partitions)
                {
                    var partition = topic?.Partition(fetch.Index);
                    var error = Check(context, partition, fetch);
                    records.Reset();
                    if (error == ErrorCodes.None)
                    {
                        budget -= ReadRecords(partition!, fetch.Offset, Math.Min(fetch.MaxBytes, budget), records);
                        anyRecords |= records.Length > 0;
                    }

                    response.WriteInt32(fetch.Index);
                    response.WriteInt16(error);
                    response.WriteInt64(partition?.HighWatermark ?? -1);
                    response.WriteInt64(partition?.HighWatermark ?? -1); // last stable offset
                    if (version >= 5)
                    {
                        response.WriteInt64(partition?.LogStartOffset ?? -1);
                    }

                    response.WriteArrayLength(-1); // aborted transactions
                    if (version >= 11)
                    {
                        response.WriteInt32(-1); // preferred read replica
                    }

                    response.WriteBytes(records.WrittenSpan);
                    response.WriteEmptyTaggedFields();
                }

                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
        if (!anyRecords && maxWaitMs > 0)
        {
            context.ResponseDelay = TimeSpan.FromMilliseconds(Math.Min(maxWaitMs, MaxLongPoll.TotalMilliseconds));
        }
    }

    private static short Check(RequestContext context, PartitionState? partition, PartitionFetch fetch)
    {
        if (partition is null)
        {
            return ErrorCodes.UnknownTopicOrPartition;
        }

        if (partition.Leader != context.Broker.Id)
        {
            return ErrorCodes.NotLeaderOrFollower;
        }

        if (fetch.CurrentLeaderEpoch >= 0 && fetch.CurrentLeaderEpoch != partition.LeaderEpoch)
        {
            return fetch.CurrentLeaderEpoch < partition.LeaderEpoch ? ErrorCodes.FencedLeaderEpoch : ErrorCodes.UnknownLeaderEpoch;
        }

        if (fetch.Offset < partition.LogStartOffset || fetch.Offset > partition.HighWatermark)
        {
            return ErrorCodes.OffsetOutOfRange;
        }

        return context.InjectedError;
    }

    /// <summary>Writes batches from <paramref name="offset"/> until the budget is spent (at least one batch); returns bytes written.</summary>
    private static int ReadRecords(PartitionState partition, long offset, int budget, KafkaWriter records)
    {
        var timeline = partition.Timeline;
        while (offset < partition.HighWatermark && (records.Length == 0 || records.Length < budget))
        {
            var produced = timeline.FirstBatchEndingAfter(offset);
            if (produced is not null && produced.BaseOffset <= offset)
            {
                if (produced.Data is null)
                {
                    break;
                }

                records.WriteRaw(produced.Data);
                offset = produced.BaseOffset + produced.Count;
                continue;
            }

            var end = Math.Min(partition.HighWatermark, produced?.BaseOffset ?? long.MaxValue);
            var count = (int)Math.Min(end - offset, MaxSyntheticRecordsPerBatch);
            RecordBatch.WriteSynthetic(records, offset, count, timeline.SyntheticTimestamp);
            offset += count;
        }

        return records.Length;
    }
}
