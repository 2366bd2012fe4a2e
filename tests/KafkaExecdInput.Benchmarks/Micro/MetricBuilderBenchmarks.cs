using BenchmarkDotNet.Attributes;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Benchmarks.Micro;

/// <summary>
/// The metric mapper: one whole snapshot (the gather benchmark's shape at each size) to line protocol, with a
/// builder and writer kept across gathers as GatherCycle keeps them. Time and allocation are per gather.
/// </summary>
[MemoryDiagnoser]
public class MetricBuilderBenchmarks
{
    private readonly MetricBuilder _builder = new();

    // The families that existed before consumergroup_state: the cost of the family layout itself on the same lines.
    private readonly MetricBuilder _v1Builder = new(
        Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, MetricFamilies.Without(["consumergroup_state"]));
    private readonly LineProtocolWriter _writer = new();
    private ClusterSnapshot _snapshot = new();

    [Params("S", "M", "L")]
    public string Size { get; set; } = "S";

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = SnapshotFactory.Create(BenchSize.Parse(Size));
        WriteSnapshot();
        WriteSnapshotV1Families();
    }

    [Benchmark]
    public int WriteSnapshot()
    {
        _writer.Reset();
        return _builder.Write(_snapshot, new GatherSummary(TimeSpan.FromSeconds(1), 0), 1_767_225_600_000_000_000, _writer);
    }

    [Benchmark]
    public int WriteSnapshotV1Families()
    {
        _writer.Reset();
        return _v1Builder.Write(_snapshot, new GatherSummary(TimeSpan.FromSeconds(1), 0), 1_767_225_600_000_000_000, _writer);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();
}
