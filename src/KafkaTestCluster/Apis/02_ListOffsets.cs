using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// ListOffsets (2): earliest (-2), latest (-1), max timestamp (-3), earliest local (-4), latest tiered (-5)
/// and by timestamp. Only the partition leader answers; others get NOT_LEADER_OR_FOLLOWER, offline
/// partitions LEADER_NOT_AVAILABLE, and a stale leader epoch FENCED_LEADER_EPOCH, as in Kafka.
/// </summary>
internal sealed class ListOffsetsApi : ApiHandler
{
    private const long Latest = -1;
    private const long Earliest = -2;
    private const long MaxTimestamp = -3;
    private const long EarliestLocal = -4;
    private const long LatestTiered = -5;

    public override ApiKey Key => ApiKey.ListOffsets;

    public override short MinVersion => 0;

    public override short MaxVersion => 10;

    public override short FlexibleFrom => 6;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        _ = request.ReadInt32(); // replica id: -1 for consumers
        if (version >= 2)
        {
            _ = request.ReadInt8(); // isolation level: no transactions here, so the LSO is the high watermark
        }

        var cluster = context.Cluster;
        if (version >= 2)
        {
            response.WriteInt32(0); // throttle time
        }

        // Responses follow the request topic by topic, so the body is written while the request is read.
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
                    var currentLeaderEpoch = version >= 4 ? request.ReadInt32() : -1;
                    var timestamp = request.ReadInt64();
                    if (version == 0)
                    {
                        _ = request.ReadInt32(); // max num offsets
                    }

                    request.SkipTaggedFields();
                    WritePartition(context, response, topic?.Partition(index), index, currentLeaderEpoch, timestamp);
                }

                request.SkipTaggedFields();
                response.WriteEmptyTaggedFields();
            }
        }

        // v10's timeout and the request's tagged fields follow; nothing in them changes the answer.
        response.WriteEmptyTaggedFields();
    }

    private static void WritePartition(RequestContext context, KafkaWriter response, PartitionState? partition, int index,
        int currentLeaderEpoch, long timestamp)
    {
        var version = context.Version;
        var error = Check(context, partition, currentLeaderEpoch, timestamp);
        long offset = -1, foundTimestamp = -1;
        var leaderEpoch = -1;
        if (error == ErrorCodes.None)
        {
            (offset, foundTimestamp, leaderEpoch) = Lookup(partition!, timestamp);
        }

        response.WriteInt32(index);
        response.WriteInt16(error);
        if (version == 0)
        {
            if (error == ErrorCodes.None && offset >= 0)
            {
                response.WriteArrayLength(1);
                response.WriteInt64(offset);
            }
            else
            {
                response.WriteArrayLength(0);
            }
        }
        else
        {
            response.WriteInt64(foundTimestamp);
            response.WriteInt64(offset);
            if (version >= 4)
            {
                response.WriteInt32(leaderEpoch);
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private static short Check(RequestContext context, PartitionState? partition, int currentLeaderEpoch, long timestamp)
    {
        if (partition is null)
        {
            return ErrorCodes.UnknownTopicOrPartition;
        }

        if (partition.Leader == -1)
        {
            return ErrorCodes.LeaderNotAvailable;
        }

        if (partition.Leader != context.Broker.Id)
        {
            return ErrorCodes.NotLeaderOrFollower;
        }

        if (currentLeaderEpoch >= 0 && currentLeaderEpoch != partition.LeaderEpoch)
        {
            return currentLeaderEpoch < partition.LeaderEpoch ? ErrorCodes.FencedLeaderEpoch : ErrorCodes.UnknownLeaderEpoch;
        }

        if (timestamp < LatestTiered)
        {
            return ErrorCodes.InvalidRequest;
        }

        return context.InjectedError;
    }

    /// <summary>Offset, record timestamp (-1 for the special queries, as Kafka reports) and leader epoch.</summary>
    private static (long Offset, long Timestamp, int LeaderEpoch) Lookup(PartitionState partition, long timestamp)
    {
        var epoch = partition.LeaderEpoch;
        switch (timestamp)
        {
            case Latest:
                return (partition.HighWatermark, -1, epoch);
            case Earliest:
            case EarliestLocal:
                return (partition.LogStartOffset, -1, epoch);
            case LatestTiered:
                return (-1, -1, -1); // no tiered storage: no offset
            case MaxTimestamp:
                return partition.Timeline.FindMaxTimestamp(partition.LogStartOffset, partition.HighWatermark) is { } max
                    ? (max.Offset, max.Timestamp, epoch)
                    : (-1, -1, -1);
            default:
                return partition.Timeline.FindFirstAtOrAfter(timestamp, partition.LogStartOffset, partition.HighWatermark) is { } hit
                    ? (hit.Offset, hit.Timestamp, epoch)
                    : (-1, -1, -1);
        }
    }
}
