namespace KafkaTestCluster.Apis;

/// <summary>
/// Kafka's authorized-operations bitfields (bit n = AclOperation n). The cluster has no ACLs, so a client
/// that asks is told it may do everything a resource type supports.
/// </summary>
internal static class AuthorizedOperations
{
    /// <summary>Sent when the client did not ask for authorized operations.</summary>
    public const int NotRequested = int.MinValue;

    // READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11
    public const int Topic = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11);

    // CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12,
    // CREATE_TOKENS 13, DESCRIBE_TOKENS 14
    public const int Cluster = (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14);

    // READ 3, DELETE 6, DESCRIBE 8
    public const int Group = (1 << 3) | (1 << 6) | (1 << 8);
}
