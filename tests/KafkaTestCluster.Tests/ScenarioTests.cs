using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>
/// State changed through Kafka's own APIs (CreateTopics, Produce, OffsetCommit, DeleteRecords) shows up in
/// what the admin calls return. Only public APIs: these also run against a real cluster.
/// </summary>
public sealed class ScenarioTests : IDisposable
{
    private readonly ScenarioTarget _target = ScenarioTarget.Create();
    private readonly IAdminClient _admin;

    public ScenarioTests()
    {
        _admin = _target.Admin();
    }

    public void Dispose()
    {
        _admin.Dispose();
        _target.Dispose();
    }

    private async Task<string> CreateTopicAsync(int partitions, Dictionary<string, string>? configs = null)
    {
        var name = ScenarioTarget.UniqueName("scenario");
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = -1, Configs = configs }]);
        return name;
    }

    private async Task<(long Low, long High)> WatermarksAsync(string topic, int partition)
    {
        var tp = new TopicPartition(topic, partition);
        var result = await _admin.ListOffsetsAsync(
        [
            new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = OffsetSpec.Earliest() },
        ]);
        var low = result.ResultInfos[0].TopicPartitionOffsetError.Offset.Value;
        result = await _admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = OffsetSpec.Latest() }]);
        return (low, result.ResultInfos[0].TopicPartitionOffsetError.Offset.Value);
    }

    [Fact]
    public async Task CreateTopicsCreatesValidatesAndRejectsDuplicates()
    {
        var name = await CreateTopicAsync(4, new Dictionary<string, string> { ["retention.ms"] = "123456" });

        var topic = Assert.Single(_admin.GetMetadata(name, Clients.Timeout).Topics);
        Assert.Equal(4, topic.Partitions.Count);
        var configs = await _admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = name }]);
        var retention = configs[0].Entries["retention.ms"];
        Assert.Equal("123456", retention.Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, retention.Source);

        var duplicate = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            _admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = 1, ReplicationFactor = -1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, duplicate.Results[0].Error.Code);

        var validated = ScenarioTarget.UniqueName("validate-only");
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = validated, NumPartitions = 1, ReplicationFactor = -1 }],
            new CreateTopicsOptions { ValidateOnly = true });
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(_admin.GetMetadata(validated, Clients.Timeout).Topics).Error.Code);
    }

    [Theory]
    [InlineData(Acks.All)]
    [InlineData(Acks.Leader)]
    [InlineData(Acks.None)]
    public async Task ProducingAdvancesTheHighWatermark(Acks acks)
    {
        var topic = await CreateTopicAsync(2);
        using (var producer = _target.Producer(acks))
        {
            for (var i = 0; i < 5; i++)
            {
                producer.Produce(new TopicPartition(topic, 1), new Message<string?, string> { Key = $"k{i}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(Clients.Timeout));
        }

        // acks=0 has no response to wait for; the broker may see the batch a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        (long Low, long High) watermarks;
        while ((watermarks = await WatermarksAsync(topic, 1)).High < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal((0L, 5L), watermarks);
        Assert.Equal((0L, 0L), await WatermarksAsync(topic, 0));
    }

    [Fact]
    public async Task IdempotentProducerAndProducedTimestampsAreServed()
    {
        var topic = await CreateTopicAsync(1);
        var start = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        using (var producer = _target.Producer(Acks.All, idempotent: true))
        {
            for (var i = 0; i < 4; i++)
            {
                var result = await producer.ProduceAsync(topic, new Message<string?, string>
                {
                    Value = $"v{i}",
                    Timestamp = new Timestamp(start.AddSeconds(10 * i)),
                });
                Assert.Equal(i, result.Offset.Value);
            }
        }

        var byTime = await _admin.ListOffsetsAsync([new TopicPartitionOffsetSpec
        {
            TopicPartition = new TopicPartition(topic, 0),
            OffsetSpec = OffsetSpec.ForTimestamp(start.AddSeconds(15).ToUnixTimeMilliseconds()),
        }]);
        Assert.Equal(2, byTime.ResultInfos[0].TopicPartitionOffsetError.Offset.Value);
        Assert.Equal(start.AddSeconds(20).ToUnixTimeMilliseconds(), byTime.ResultInfos[0].Timestamp);
    }

    [Fact]
    public async Task ConsumerReadsProducedRecords()
    {
        var topic = await CreateTopicAsync(1);
        using (var producer = _target.Producer(Acks.All))
        {
            await producer.ProduceAsync(topic, new Message<string?, string> { Key = "a", Value = "first" });
            await producer.ProduceAsync(topic, new Message<string?, string> { Key = "b", Value = "second" });
        }

        using var consumer = _target.Consumer();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
        var values = new List<string>();
        while (values.Count < 2)
        {
            var record = consumer.Consume(Clients.Timeout) ?? throw new TimeoutException("No record consumed.");
            values.Add(record.Message.Value);
        }

        Assert.Equal(["first", "second"], values);
    }

    [Fact]
    public async Task AlterConsumerGroupOffsetsCreatesAnEmptyGroup()
    {
        var topic = await CreateTopicAsync(2);
        var group = ScenarioTarget.UniqueName("group");

        await _admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(group,
            [new TopicPartitionOffset(topic, 0, 17), new TopicPartitionOffset(topic, 1, 4)])]);

        var offsets = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]);
        Assert.Equal([17L, 4L], offsets[0].Partitions.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value));
        var description = await _admin.DescribeConsumerGroupsAsync([group]);
        Assert.Equal(ConsumerGroupState.Empty, description.ConsumerGroupDescriptions[0].State);
        Assert.Empty(description.ConsumerGroupDescriptions[0].Members);
    }

    [Fact]
    public async Task DeleteRecordsMovesTheEarliestOffset()
    {
        var topic = await CreateTopicAsync(1);
        using (var producer = _target.Producer(Acks.All))
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(topic, new Message<string?, string> { Value = $"v{i}" });
            }

            producer.Flush(Clients.Timeout);
        }

        var deleted = await _admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 6)]);
        Assert.Equal(6, deleted[0].Offset.Value);
        Assert.Equal((6L, 10L), await WatermarksAsync(topic, 0));

        var beyond = await Assert.ThrowsAsync<DeleteRecordsException>(() => _admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 11)]));
        Assert.Equal(ErrorCode.OffsetOutOfRange, beyond.Results[0].Error.Code);
    }

    [Fact]
    public async Task LogAppendTimeTopicsStampRecordsWithTheBrokersTime()
    {
        var topic = await CreateTopicAsync(1, new Dictionary<string, string> { ["message.timestamp.type"] = "LogAppendTime" });
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using (var producer = _target.Producer(Acks.All))
        {
            await producer.ProduceAsync(topic, new Message<string?, string> { Value = "v", Timestamp = new Timestamp(new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc)) });
        }

        using var consumer = _target.Consumer();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
        var record = consumer.Consume(Clients.Timeout) ?? throw new TimeoutException("No record consumed.");
        Assert.Equal(TimestampType.LogAppendTime, record.Message.Timestamp.Type);
        Assert.True(record.Message.Timestamp.UnixTimestampMs >= before.ToUnixTimeMilliseconds());
    }
}
