namespace KafkaTestCluster;

/// <summary>Kafka protocol error codes (the subset this cluster produces or tests inject).</summary>
public static class ErrorCodes
{
    public const short UnknownServerError = -1;
    public const short None = 0;
    public const short OffsetOutOfRange = 1;
    public const short CorruptMessage = 2;
    public const short UnknownTopicOrPartition = 3;
    public const short LeaderNotAvailable = 5;
    public const short NotLeaderOrFollower = 6;
    public const short RequestTimedOut = 7;
    public const short BrokerNotAvailable = 8;
    public const short ReplicaNotAvailable = 9;
    public const short MessageTooLarge = 10;
    public const short OffsetMetadataTooLarge = 12;
    public const short NetworkException = 13;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short InvalidTopicException = 17;
    public const short NotEnoughReplicas = 19;
    public const short InvalidRequiredAcks = 21;
    public const short IllegalGeneration = 22;
    public const short InvalidGroupId = 24;
    public const short UnknownMemberId = 25;
    public const short RebalanceInProgress = 27;
    public const short TopicAuthorizationFailed = 29;
    public const short GroupAuthorizationFailed = 30;
    public const short ClusterAuthorizationFailed = 31;
    public const short UnsupportedSaslMechanism = 33;
    public const short IllegalSaslState = 34;
    public const short UnsupportedVersion = 35;
    public const short TopicAlreadyExists = 36;
    public const short InvalidPartitions = 37;
    public const short InvalidReplicationFactor = 38;
    public const short InvalidReplicaAssignment = 39;
    public const short InvalidConfig = 40;
    public const short NotController = 41;
    public const short InvalidRequest = 42;
    public const short UnsupportedForMessageFormat = 43;
    public const short PolicyViolation = 44;
    public const short TransactionalIdAuthorizationFailed = 53;
    public const short SaslAuthenticationFailed = 58;
    public const short NonEmptyGroup = 68;
    public const short GroupIdNotFound = 69;
    public const short FencedLeaderEpoch = 74;
    public const short UnknownLeaderEpoch = 75;
    public const short UnstableOffsetCommit = 88;
    public const short ThrottlingQuotaExceeded = 89;
    public const short UnknownTopicId = 100;
    public const short UnsupportedEndpointType = 117;

    /// <summary>Kafka's default message for an error code, as its clients print it.</summary>
    public static string DefaultMessage(short code) => code switch
    {
        None => "",
        OffsetOutOfRange => "The requested offset is not within the range of offsets maintained by the server.",
        CorruptMessage => "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.",
        UnknownTopicOrPartition => "This server does not host this topic-partition.",
        LeaderNotAvailable => "There is no leader for this topic-partition as we are in the middle of a leadership election.",
        NotLeaderOrFollower => "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.",
        CoordinatorLoadInProgress => "The coordinator is loading and hence can't process requests.",
        CoordinatorNotAvailable => "The coordinator is not available.",
        NotCoordinator => "This is not the correct coordinator.",
        InvalidTopicException => "The request attempted to perform an operation on an invalid topic.",
        NotEnoughReplicas => "Messages are rejected since there are fewer in-sync replicas than required.",
        UnsupportedVersion => "The version of API is not supported.",
        TopicAlreadyExists => "Topic with this name already exists.",
        InvalidPartitions => "Number of partitions is below 1.",
        InvalidReplicationFactor => "Replication factor is below 1 or larger than the number of available brokers.",
        InvalidConfig => "Configuration is invalid.",
        InvalidRequest => "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.",
        SaslAuthenticationFailed => "SASL Authentication failed.",
        GroupIdNotFound => "The group id does not exist.",
        _ => $"Error {code}.",
    };
}
