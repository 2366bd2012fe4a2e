using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// DeleteRecords (21): moves a partition's log start offset forward (offset -1 = up to the high watermark).
/// Beyond the high watermark is OFFSET_OUT_OF_RANGE; only the leader answers, as in Kafka.
/// </summary>
internal sealed class DeleteRecordsApi : ApiHandler
{
    public override ApiKey Key => ApiKey.DeleteRecords;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    public override short FlexibleFrom => 2;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        response.WriteInt32(0); // throttle time
        var cluster = context.Cluster;
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
                    var offset = request.ReadInt64();
                    request.SkipTaggedFields();
                    var partition = topic?.Partition(index);
                    var error = Delete(context, partition, offset);
                    response.WriteInt32(index);
                    response.WriteInt64(error == ErrorCodes.None ? partition!.LogStartOffset : -1);
                    response.WriteInt16(error);
                    response.WriteEmptyTaggedFields();
                }

                request.SkipTaggedFields();
                response.WriteEmptyTaggedFields();
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private static short Delete(RequestContext context, PartitionState? partition, long offset)
    {
        if (partition is null)
        {
            return ErrorCodes.UnknownTopicOrPartition;
        }

        if (partition.Leader != context.Broker.Id)
        {
            return partition.Leader == -1 ? ErrorCodes.LeaderNotAvailable : ErrorCodes.NotLeaderOrFollower;
        }

        if (context.InjectedError != ErrorCodes.None)
        {
            return context.InjectedError;
        }

        var target = offset == -1 ? partition.HighWatermark : offset;
        if (target < 0 || target > partition.HighWatermark)
        {
            return ErrorCodes.OffsetOutOfRange;
        }

        partition.LogStartOffset = Math.Max(partition.LogStartOffset, target);
        return ErrorCodes.None;
    }
}
