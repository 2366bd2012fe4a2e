using Confluent.Kafka;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>Consumers can read through offsets that exist only through the state API.</summary>
public sealed class FetchTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public void SyntheticRecordsCarryModelTimestampsAndNullPayloads()
    {
        _cluster.CreateTopic("synthetic", 1);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _cluster.SetRecordTimestamps("synthetic", 0, start, TimeSpan.FromSeconds(2));
        _cluster.SetWatermarks("synthetic", 0, 100, 1_200);

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(Clients.Configure(new ConsumerConfig
        {
            GroupId = "reader",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }, _cluster)).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset("synthetic", 0, 1_195));

        var offsets = new List<long>();
        while (offsets.Count < 5)
        {
            var record = consumer.Consume(Clients.Timeout) ?? throw new TimeoutException("No record consumed.");
            Assert.Null(record.Message.Key);
            Assert.Null(record.Message.Value);
            Assert.Equal(start.AddSeconds(2 * record.Offset.Value).ToUnixTimeMilliseconds(), record.Message.Timestamp.UnixTimestampMs);
            offsets.Add(record.Offset.Value);
        }

        Assert.Equal([1_195L, 1_196L, 1_197L, 1_198L, 1_199L], offsets);

        // Below the log start offset the consumer is reset to it (auto.offset.reset=earliest).
        consumer.Assign(new TopicPartitionOffset("synthetic", 0, 5));
        var first = consumer.Consume(Clients.Timeout) ?? throw new TimeoutException("No record consumed.");
        Assert.Equal(100, first.Offset.Value);
    }
}
