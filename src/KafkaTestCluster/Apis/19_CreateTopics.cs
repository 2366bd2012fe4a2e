using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Apis;

/// <summary>
/// CreateTopics (19) with Kafka's validation and messages: legal names, TOPIC_ALREADY_EXISTS, partition
/// and replication-factor checks (-1 = broker default), manual assignments, known topic configs only, and
/// validate_only. Any broker accepts it, as a KRaft broker forwards it to the controller.
/// </summary>
internal sealed class CreateTopicsApi : ApiHandler
{
    public override ApiKey Key => ApiKey.CreateTopics;

    public override short MinVersion => 0;

    public override short MaxVersion => 7;

    public override short FlexibleFrom => 5;

    private sealed record TopicRequest(string Name, int Partitions, short ReplicationFactor, List<int[]> Assignments, List<KeyValuePair<string, string?>> Configs);

    private sealed record TopicResult(string Name, short Error, string? Message, TopicState? Created, int Partitions, int ReplicationFactor, Dictionary<string, string>? Configs);

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var version = context.Version;
        var requests = ReadTopics(ref request);
        _ = request.ReadInt32(); // timeout
        var validateOnly = version >= 1 && request.ReadBool();
        request.SkipTaggedFields();

        var cluster = context.Cluster;
        var results = new List<TopicResult>(requests.Count);
        lock (cluster.Sync)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var topic in requests)
            {
                results.Add(seen.Add(topic.Name)
                    ? Create(context, topic, validateOnly)
                    : Failed(topic.Name, ErrorCodes.InvalidRequest, "Create topics request from client contains duplicate topic name."));
            }

            if (version >= 2)
            {
                response.WriteInt32(0); // throttle time
            }

            response.WriteArrayLength(results.Count);
            foreach (var result in results)
            {
                WriteResult(response, version, result);
            }
        }

        response.WriteEmptyTaggedFields();
    }

    private static List<TopicRequest> ReadTopics(ref KafkaReader request)
    {
        var count = request.ReadArrayLength();
        var topics = new List<TopicRequest>(Math.Max(count, 0));
        for (var t = 0; t < count; t++)
        {
            var name = request.ReadString();
            var partitions = request.ReadInt32();
            var replicationFactor = request.ReadInt16();
            var assignments = new List<int[]>();
            var assignmentCount = request.ReadArrayLength();
            for (var a = 0; a < assignmentCount; a++)
            {
                var index = request.ReadInt32();
                var brokers = request.ReadInt32Array();
                request.SkipTaggedFields();
                if (index != assignments.Count)
                {
                    throw new MalformedRequestException("Replica assignments must list partitions 0..n-1 in order.");
                }

                assignments.Add(brokers);
            }

            var configs = new List<KeyValuePair<string, string?>>();
            var configCount = request.ReadArrayLength();
            for (var c = 0; c < configCount; c++)
            {
                configs.Add(new(request.ReadString(), request.ReadNullableString()));
                request.SkipTaggedFields();
            }

            request.SkipTaggedFields();
            topics.Add(new TopicRequest(name, partitions, replicationFactor, assignments, configs));
        }

        return topics;
    }

    private static TopicResult Failed(string name, short error, string message) => new(name, error, message, null, -1, -1, null);

    private static TopicResult Create(RequestContext context, TopicRequest topic, bool validateOnly)
    {
        var cluster = context.Cluster;
        if (context.InjectedError != ErrorCodes.None)
        {
            return Failed(topic.Name, context.InjectedError, ErrorCodes.DefaultMessage(context.InjectedError));
        }

        if (ClusterState.TopicNameProblem(topic.Name) is { } problem)
        {
            return Failed(topic.Name, ErrorCodes.InvalidTopicException, problem);
        }

        if (cluster.FindTopicLocked(topic.Name) is not null)
        {
            return Failed(topic.Name, ErrorCodes.TopicAlreadyExists, $"Topic '{topic.Name}' already exists.");
        }

        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in topic.Configs)
        {
            if (!ConfigCatalog.IsTopicConfig(name))
            {
                return Failed(topic.Name, ErrorCodes.InvalidConfig, $"Unknown topic config name: {name}");
            }

            if (value is null)
            {
                return Failed(topic.Name, ErrorCodes.InvalidConfig, $"Null value not supported for topic configs: {name}");
            }

            configs[name] = value;
        }

        int[][] assignment;
        var liveBrokers = cluster.Brokers.Count(b => !b.IsDown);
        if (topic.Assignments.Count > 0)
        {
            if (topic.Partitions != -1 || topic.ReplicationFactor != -1)
            {
                return Failed(topic.Name, ErrorCodes.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }

            foreach (var replicas in topic.Assignments)
            {
                if (replicas.Length == 0 || replicas.Distinct().Count() != replicas.Length || replicas.Any(id => cluster.Broker(id) is null))
                {
                    return Failed(topic.Name, ErrorCodes.InvalidReplicaAssignment, "Replica assignment lists unknown, duplicate or no brokers.");
                }
            }

            assignment = [.. topic.Assignments];
        }
        else
        {
            var partitions = topic.Partitions == -1 ? cluster.DefaultPartitions : topic.Partitions;
            int replicationFactor = topic.ReplicationFactor == -1 ? (short)cluster.DefaultReplicationFactor : topic.ReplicationFactor;
            if (partitions <= 0)
            {
                return Failed(topic.Name, ErrorCodes.InvalidPartitions, "Number of partitions was set to an invalid non-positive value.");
            }

            if (replicationFactor <= 0)
            {
                return Failed(topic.Name, ErrorCodes.InvalidReplicationFactor, "Replication factor must be larger than 0, or -1 to use the default value.");
            }

            if (replicationFactor > liveBrokers)
            {
                return Failed(topic.Name, ErrorCodes.InvalidReplicationFactor,
                    $"Unable to replicate the partition {replicationFactor} time(s): The target replication factor of {replicationFactor} cannot be reached because only {liveBrokers} broker(s) are registered.");
            }

            assignment = cluster.AssignReplicasLocked(partitions, replicationFactor);
        }

        var created = validateOnly ? null : cluster.CreateTopicLocked(topic.Name, assignment, configs, isInternal: false);
        return new TopicResult(topic.Name, ErrorCodes.None, null, created, assignment.Length, assignment[0].Length, configs);
    }

    private static void WriteResult(KafkaWriter response, short version, TopicResult result)
    {
        response.WriteString(result.Name);
        if (version >= 7)
        {
            response.WriteUuid(result.Created?.TopicId ?? Guid.Empty);
        }

        response.WriteInt16(result.Error);
        if (version >= 1)
        {
            response.WriteNullableString(result.Message);
        }

        if (version >= 5)
        {
            response.WriteInt32(result.Partitions);
            response.WriteInt16((short)result.ReplicationFactor);
            if (result.Configs is null)
            {
                response.WriteArrayLength(-1);
            }
            else
            {
                var entries = ConfigCatalog.DescribeTopic(result.Configs, includeSynonyms: false, includeDocumentation: false);
                response.WriteArrayLength(entries.Count);
                foreach (var entry in entries)
                {
                    response.WriteString(entry.Name);
                    response.WriteNullableString(entry.Value);
                    response.WriteBool(entry.ReadOnly);
                    response.WriteInt8((sbyte)entry.Source);
                    response.WriteBool(entry.Sensitive);
                    response.WriteEmptyTaggedFields();
                }
            }
        }

        response.WriteEmptyTaggedFields();
    }
}
