using BenchmarkDotNet.Attributes;
using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.Benchmarks.Micro;

/// <summary>
/// The line-protocol writer per line, on the two shapes that dominate a gather's output. The writer is reset
/// before each batch and keeps its buffer, as GatherCycle does: the target is 0 bytes allocated per line.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolWriterBenchmarks
{
    private const int LinesPerInvoke = 1_000;
    private const long Timestamp = 1_767_225_600_000_000_000;

    // The names of the two line shapes, as their metric families encode them.
    private static readonly EncodedName TopicPartition = EncodedName.Measurement("kafka_topic_partition");
    private static readonly EncodedName ConsumerGroup = EncodedName.Measurement("kafka_consumergroup");
    private static readonly EncodedName PartitionTag = EncodedName.TagKey("partition");
    private static readonly EncodedName TopicTag = EncodedName.TagKey("topic");
    private static readonly EncodedName ConsumerGroupTag = EncodedName.TagKey("consumergroup");
    private static readonly EncodedName CurrentOffset = EncodedName.FieldKey("current_offset");
    private static readonly EncodedName OldestOffset = EncodedName.FieldKey("oldest_offset");
    private static readonly EncodedName Leader = EncodedName.FieldKey("leader");
    private static readonly EncodedName Replicas = EncodedName.FieldKey("replicas");
    private static readonly EncodedName InSyncReplica = EncodedName.FieldKey("in_sync_replica");
    private static readonly EncodedName LeaderIsPreferred = EncodedName.FieldKey("leader_is_preferred");
    private static readonly EncodedName UnderReplicatedPartition = EncodedName.FieldKey("under_replicated_partition");
    private static readonly EncodedName Lag = EncodedName.FieldKey("lag");

    private readonly LineProtocolWriter _writer = new();
    private string[] _topics = [];
    private string[] _groups = [];

    [GlobalSetup]
    public void Setup()
    {
        _topics = [.. Enumerable.Range(0, 100).Select(Gather.BenchSize.TopicName)];
        // One name with characters that must be escaped, so the escaping path is part of the measurement.
        _groups = [.. Enumerable.Range(0, 100).Select(g => g % 10 == 0 ? $"group with,escapes={g}" : Gather.BenchSize.GroupName(g))];
        TopicPartitionLines();
        GroupPartitionLines();
    }

    /// <summary>kafka_topic_partition: two tags, seven integer fields.</summary>
    [Benchmark(OperationsPerInvoke = LinesPerInvoke)]
    public int TopicPartitionLines()
    {
        _writer.Reset();
        for (var i = 0; i < LinesPerInvoke; i++)
        {
            _writer.BeginLine(TopicPartition);
            _writer.Tag(PartitionTag, i % 10);
            _writer.Tag(TopicTag, _topics[i % _topics.Length]);
            _writer.Field(CurrentOffset, 1_000_000L + i);
            _writer.Field(OldestOffset, 1_000L + i);
            _writer.Field(Leader, 1 + (i % 3));
            _writer.Field(Replicas, 3);
            _writer.Field(InSyncReplica, 3);
            _writer.Field(LeaderIsPreferred, 1L);
            _writer.Field(UnderReplicatedPartition, 0L);
            _writer.EndLine(Timestamp);
        }

        return _writer.LinesWritten;
    }

    /// <summary>kafka_consumergroup per partition: three tags, two integer fields; every tenth group name escaped.</summary>
    [Benchmark(OperationsPerInvoke = LinesPerInvoke)]
    public int GroupPartitionLines()
    {
        _writer.Reset();
        for (var i = 0; i < LinesPerInvoke; i++)
        {
            _writer.BeginLine(ConsumerGroup);
            _writer.Tag(ConsumerGroupTag, _groups[i % _groups.Length]);
            _writer.Tag(PartitionTag, i % 10);
            _writer.Tag(TopicTag, _topics[i % _topics.Length]);
            _writer.Field(CurrentOffset, 500_000L + i);
            _writer.Field(Lag, i);
            _writer.EndLine(Timestamp);
        }

        return _writer.LinesWritten;
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();
}
