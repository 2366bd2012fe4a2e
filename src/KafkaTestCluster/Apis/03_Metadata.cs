using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// Metadata (3): brokers, cluster id, controller and topic placement. Unknown topics get
/// UNKNOWN_TOPIC_OR_PARTITION per topic (auto-creation only when <see cref="ClusterOptions.AutoCreateTopics"/>).
/// Written straight from the state under its lock, with cached topic names, so 50,000 partitions cost
/// a few milliseconds and no per-partition allocation.
/// </summary>
internal sealed class MetadataApi : ApiHandler
{
    public override ApiKey Key => ApiKey.Metadata;

    public override short MinVersion => 0;

    public override short MaxVersion => 13;

    public override short FlexibleFrom => 9;

    private readonly record struct RequestedTopic(string? Name, Guid Id);

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        List<RequestedTopic>? requested = null; // null = all topics
        var count = request.ReadArrayLength();
        if (count >= 0 && !(version == 0 && count == 0))
        {
            requested = new List<RequestedTopic>(count);
            for (var i = 0; i < count; i++)
            {
                var id = version >= 10 ? request.ReadUuid() : Guid.Empty;
                var name = version >= 10 ? request.ReadNullableString() : request.ReadString();
                request.SkipTaggedFields();
                requested.Add(new RequestedTopic(name, id));
            }
        }

        var allowAutoCreate = version < 4 || request.ReadBool();
        if (version is >= 8 and <= 10)
        {
            _ = request.ReadBool(); // include cluster authorized operations
        }

        var includeTopicOperations = version >= 8 && request.ReadBool();
        request.SkipTaggedFields();

        var cluster = context.Cluster;
        var injected = context.InjectedError;
        lock (cluster.Sync)
        {
            if (version >= 3)
            {
                response.WriteInt32(0); // throttle time
            }

            WriteBrokers(cluster, response, version);
            if (version >= 2)
            {
                response.WriteNullableString(cluster.ClusterId);
            }

            if (version >= 1)
            {
                response.WriteInt32(cluster.ControllerId);
            }

            if (requested is null)
            {
                response.WriteArrayLength(cluster.TopicsLocked.Count);
                foreach (var topic in cluster.TopicsLocked)
                {
                    WriteTopic(response, version, topic, injected, includeTopicOperations);
                }
            }
            else
            {
                response.WriteArrayLength(requested.Count);
                foreach (var wanted in requested)
                {
                    var topic = wanted.Name is not null ? cluster.FindTopicLocked(wanted.Name) : cluster.FindTopicLocked(wanted.Id);
                    if (topic is null && wanted.Name is not null && allowAutoCreate && cluster.AutoCreateTopics &&
                        ClusterState.TopicNameProblem(wanted.Name) is null)
                    {
                        topic = cluster.CreateTopicLocked(wanted.Name,
                            cluster.AssignReplicasLocked(cluster.DefaultPartitions, cluster.DefaultReplicationFactor), null, false);
                    }

                    if (topic is null)
                    {
                        var error = wanted.Name is null ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition;
                        if (wanted.Name is not null && ClusterState.TopicNameProblem(wanted.Name) is not null)
                        {
                            error = ErrorCodes.InvalidTopicException;
                        }

                        WriteMissingTopic(response, version, wanted, error);
                    }
                    else
                    {
                        WriteTopic(response, version, topic, injected, includeTopicOperations);
                    }
                }
            }

            if (version is >= 8 and <= 10)
            {
                response.WriteInt32(AuthorizedOperations.NotRequested);
            }

            if (version >= 13)
            {
                response.WriteInt16(ErrorCodes.None);
            }

            response.WriteEmptyTaggedFields();
        }
    }

    private static void WriteBrokers(ClusterState cluster, KafkaWriter response, short version)
    {
        var live = 0;
        foreach (var broker in cluster.Brokers)
        {
            live += broker.IsDown ? 0 : 1;
        }

        response.WriteArrayLength(live);
        foreach (var broker in cluster.Brokers)
        {
            if (broker.IsDown)
            {
                continue;
            }

            response.WriteInt32(broker.Id);
            response.WriteString(broker.Host);
            response.WriteInt32(broker.Port);
            if (version >= 1)
            {
                response.WriteNullableString(broker.Rack);
            }

            response.WriteEmptyTaggedFields();
        }
    }

    private static void WriteMissingTopic(KafkaWriter response, short version, RequestedTopic wanted, short error)
    {
        response.WriteInt16(error);
        response.WriteNullableString(wanted.Name);
        if (version >= 10)
        {
            response.WriteUuid(wanted.Name is null ? wanted.Id : Guid.Empty);
        }

        if (version >= 1)
        {
            response.WriteBool(false);
        }

        response.WriteArrayLength(0);
        if (version >= 8)
        {
            response.WriteInt32(AuthorizedOperations.NotRequested);
        }

        response.WriteEmptyTaggedFields();
    }

    private static void WriteTopic(KafkaWriter response, short version, TopicState topic, short injected, bool includeOperations)
    {
        // Topic-level errors (unknown topic, leader election during creation) come with no partitions, as in Kafka.
        var topicError = injected is ErrorCodes.UnknownTopicOrPartition or ErrorCodes.LeaderNotAvailable or ErrorCodes.InvalidTopicException
            or ErrorCodes.TopicAuthorizationFailed ? injected : ErrorCodes.None;
        response.WriteInt16(topicError);
        response.WriteString(topic.NameUtf8);
        if (version >= 10)
        {
            response.WriteUuid(topic.TopicId);
        }

        if (version >= 1)
        {
            response.WriteBool(topic.IsInternal);
        }

        if (topicError != ErrorCodes.None)
        {
            response.WriteArrayLength(0);
        }
        else
        {
            response.WriteArrayLength(topic.Partitions.Length);
            foreach (var partition in topic.Partitions)
            {
                var partitionError = partition.Leader == -1 ? ErrorCodes.LeaderNotAvailable : injected;
                response.WriteInt16(partitionError);
                response.WriteInt32(partition.Index);
                response.WriteInt32(partition.Leader);
                if (version >= 7)
                {
                    response.WriteInt32(partition.LeaderEpoch);
                }

                response.WriteInt32Array(partition.Replicas);
                response.WriteInt32Array(partition.Isr);
                if (version >= 5)
                {
                    response.WriteInt32Array(partition.OfflineReplicas);
                }

                response.WriteEmptyTaggedFields();
            }
        }

        if (version >= 8)
        {
            response.WriteInt32(includeOperations ? AuthorizedOperations.Topic : AuthorizedOperations.NotRequested);
        }

        response.WriteEmptyTaggedFields();
    }
}
