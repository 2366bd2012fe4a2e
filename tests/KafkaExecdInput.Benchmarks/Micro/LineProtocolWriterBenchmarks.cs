using BenchmarkDotNet.Attributes;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;

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
            _writer.BeginLine(EncodedMetricNames.TopicPartition);
            _writer.Tag(EncodedMetricNames.Tags.Partition, i % 10);
            _writer.Tag(EncodedMetricNames.Tags.Topic, _topics[i % _topics.Length]);
            _writer.Field(EncodedMetricNames.Fields.CurrentOffset, 1_000_000L + i);
            _writer.Field(EncodedMetricNames.Fields.OldestOffset, 1_000L + i);
            _writer.Field(EncodedMetricNames.Fields.Leader, 1 + (i % 3));
            _writer.Field(EncodedMetricNames.Fields.Replicas, 3);
            _writer.Field(EncodedMetricNames.Fields.InSyncReplica, 3);
            _writer.Field(EncodedMetricNames.Fields.LeaderIsPreferred, 1L);
            _writer.Field(EncodedMetricNames.Fields.UnderReplicatedPartition, 0L);
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
            _writer.BeginLine(EncodedMetricNames.ConsumerGroup);
            _writer.Tag(EncodedMetricNames.Tags.ConsumerGroup, _groups[i % _groups.Length]);
            _writer.Tag(EncodedMetricNames.Tags.Partition, i % 10);
            _writer.Tag(EncodedMetricNames.Tags.Topic, _topics[i % _topics.Length]);
            _writer.Field(EncodedMetricNames.Fields.CurrentOffset, 500_000L + i);
            _writer.Field(EncodedMetricNames.Fields.Lag, i);
            _writer.EndLine(Timestamp);
        }

        return _writer.LinesWritten;
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();
}
