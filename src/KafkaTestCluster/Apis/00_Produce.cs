using System.Globalization;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// Produce (0), record batch v2 only (v3+). Each batch is CRC-checked (CORRUPT_MESSAGE on mismatch),
/// counted and appended by advancing the high watermark; only the leader accepts it. acks=-1 also needs
/// min.insync.replicas in the ISR. With acks=0 Kafka sends no response, and neither does this broker.
/// </summary>
internal sealed class ProduceApi : ApiHandler
{
    public override ApiKey Key => ApiKey.Produce;

    public override short MinVersion => 3;

    public override short MaxVersion => 10;

    public override short FlexibleFrom => 9;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var transactionalId = request.ReadNullableString();
        var acks = request.ReadInt16();
        _ = request.ReadInt32(); // timeout: writes complete at once here

        context.SuppressResponse = acks == 0;
        var cluster = context.Cluster;
        var batches = new List<RecordBatchInfo>();
        var topicCount = request.ReadArrayLength();
        response.WriteArrayLength(Math.Max(topicCount, 0));
        lock (cluster.Sync)
        {
            for (var t = 0; t < topicCount; t++)
            {
                var name = request.ReadString();
                var topic = cluster.FindTopicLocked(name);
                response.WriteString(name);
                var partitionCount = request.ReadArrayLength();
                response.WriteArrayLength(Math.Max(partitionCount, 0));
                for (var p = 0; p < partitionCount; p++)
                {
                    var index = request.ReadInt32();
                    var hasRecords = request.TryReadBytes(out var records);
                    request.SkipTaggedFields();

                    var partition = topic?.Partition(index);
                    var error = Check(context, topic, partition, acks, transactionalId);
                    if (error == ErrorCodes.None)
                    {
                        error = hasRecords ? RecordBatch.Parse(records, batches) : ErrorCodes.CorruptMessage;
                    }

                    if (error == ErrorCodes.None && batches.Exists(b => b.SizeInBytes > MaxMessageBytes(topic!)))
                    {
                        error = ErrorCodes.MessageTooLarge;
                    }

                    if (error != ErrorCodes.None && error != context.InjectedError)
                    {
                        context.Log($"produce to {name}[{index}] rejected with error {error}");
                    }

                    var baseOffset = -1L;
                    var logAppendTime = -1L;
                    if (error == ErrorCodes.None)
                    {
                        (baseOffset, logAppendTime) = Append(topic!, partition!, batches, records);
                    }

                    response.WriteInt32(index);
                    response.WriteInt16(error);
                    response.WriteInt64(baseOffset);
                    response.WriteInt64(logAppendTime);
                    if (version >= 5)
                    {
                        response.WriteInt64(partition?.LogStartOffset ?? -1);
                    }

                    if (version >= 8)
                    {
                        response.WriteArrayLength(0); // record errors
                        response.WriteNullableString(error == ErrorCodes.None ? null : ErrorCodes.DefaultMessage(error));
                    }

                    response.WriteEmptyTaggedFields();
                }

                request.SkipTaggedFields();
                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteInt32(0); // throttle time
        response.WriteEmptyTaggedFields();
    }

    private static short Check(RequestContext context, TopicState? topic, PartitionState? partition, short acks, string? transactionalId)
    {
        if (acks is not (-1 or 0 or 1))
        {
            return ErrorCodes.InvalidRequiredAcks;
        }

        if (transactionalId is not null)
        {
            return ErrorCodes.TransactionalIdAuthorizationFailed; // no transaction coordinator here
        }

        if (topic is null || partition is null)
        {
            return ErrorCodes.UnknownTopicOrPartition;
        }

        if (partition.Leader != context.Broker.Id)
        {
            return ErrorCodes.NotLeaderOrFollower;
        }

        if (acks == -1 && partition.Isr.Length < MinInsyncReplicas(topic))
        {
            return ErrorCodes.NotEnoughReplicas;
        }

        return context.InjectedError;
    }

    private static int MinInsyncReplicas(TopicState topic) => IntConfig(topic, "min.insync.replicas");

    private static int MaxMessageBytes(TopicState topic) => IntConfig(topic, "max.message.bytes");

    private static int IntConfig(TopicState topic, string name) =>
        int.TryParse(topic.ConfigOverrides.GetValueOrDefault(name) ?? ConfigCatalog.TopicDefault(name), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static (long BaseOffset, long LogAppendTime) Append(TopicState topic, PartitionState partition, List<RecordBatchInfo> batches,
        ReadOnlySpan<byte> records)
    {
        var logAppendTime = topic.ConfigOverrides.GetValueOrDefault("message.timestamp.type") == "LogAppendTime"
            ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()
            : -1;
        var baseOffset = partition.HighWatermark;
        foreach (var batch in batches)
        {
            var at = partition.HighWatermark;
            var data = RecordBatch.CopyAt(records.Slice(batch.Start, batch.SizeInBytes), at, logAppendTime);
            partition.Timeline.Append(logAppendTime >= 0
                ? new ProducedBatch(at, batch.RecordCount, logAppendTime, logAppendTime, null, data)
                : new ProducedBatch(at, batch.RecordCount, batch.FirstTimestamp, batch.MaxTimestamp, batch.RecordTimestamps, data));
            partition.HighWatermark += batch.RecordCount;
        }

        return (baseOffset, logAppendTime);
    }
}
