using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Exactly the AdminClient calls the readers make, and nothing else: the seam where tests put a
/// fake admin in place of librdkafka. Results and exceptions are Confluent.Kafka's own types, so
/// the readers handle the same shapes either way. Which calls are safe in which fault: Kafka/README.md,
/// crash facts.
/// </summary>
internal interface IKafkaAdmin
{
    /// <summary>Metadata of every broker and topic; synchronous, blocks for at most <paramref name="timeout"/>.</summary>
    Metadata GetMetadata(TimeSpan timeout);

    /// <summary>librdkafka's classic group listing (ListGroups, then DescribeGroups per broker); synchronous.</summary>
    List<GroupInfo> ListGroups(TimeSpan timeout);

    Task<DescribeConsumerGroupsResult> DescribeConsumerGroupsAsync(IEnumerable<string> groups, DescribeConsumerGroupsOptions options);

    Task<List<ListConsumerGroupOffsetsResult>> ListConsumerGroupOffsetsAsync(
        IEnumerable<ConsumerGroupTopicPartitions> groupPartitions, ListConsumerGroupOffsetsOptions options);

    Task<ListOffsetsResult> ListOffsetsAsync(IEnumerable<TopicPartitionOffsetSpec> partitions, ListOffsetsOptions options);

    /// <summary>Cluster id, controller and nodes with racks (one DescribeCluster request).</summary>
    Task<DescribeClusterResult> DescribeClusterAsync(DescribeClusterOptions options);

    /// <summary>Configs of many resources; librdkafka sends topic resources in one request (Kafka/README.md).</summary>
    Task<List<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, DescribeConfigsOptions options);
}

/// <summary>The production admin: Confluent.Kafka's client, one per worker life.</summary>
internal sealed class ConfluentKafkaAdmin(IAdminClient client) : IKafkaAdmin
{
    public Metadata GetMetadata(TimeSpan timeout) => client.GetMetadata(timeout);

    public List<GroupInfo> ListGroups(TimeSpan timeout) => client.ListGroups(timeout);

    public Task<DescribeConsumerGroupsResult> DescribeConsumerGroupsAsync(IEnumerable<string> groups, DescribeConsumerGroupsOptions options) =>
        client.DescribeConsumerGroupsAsync(groups, options);

    public Task<List<ListConsumerGroupOffsetsResult>> ListConsumerGroupOffsetsAsync(
        IEnumerable<ConsumerGroupTopicPartitions> groupPartitions, ListConsumerGroupOffsetsOptions options) =>
        client.ListConsumerGroupOffsetsAsync(groupPartitions, options);

    public Task<ListOffsetsResult> ListOffsetsAsync(IEnumerable<TopicPartitionOffsetSpec> partitions, ListOffsetsOptions options) =>
        client.ListOffsetsAsync(partitions, options);

    public Task<DescribeClusterResult> DescribeClusterAsync(DescribeClusterOptions options) => client.DescribeClusterAsync(options);

    public Task<List<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, DescribeConfigsOptions options) =>
        client.DescribeConfigsAsync(resources, options);
}
