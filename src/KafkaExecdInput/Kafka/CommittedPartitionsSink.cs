using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Passes every part on and remembers which partitions the sent committed offsets are on. A shard
/// reads the latest offsets of those partitions even when another shard owns them: its groups' lag
/// needs them (README, Sharding).
/// </summary>
internal sealed class CommittedPartitionsSink : IGatherSink
{
    private readonly IGatherSink _inner;
    private readonly HashSet<(string Topic, int Partition)> _partitions = [];
    private readonly Lock _lock = new();

    /// <param name="alreadyHeld">Commits the parent holds from an earlier attempt of this gather.</param>
    public CommittedPartitionsSink(IGatherSink inner, IReadOnlyList<CommittedOffset>? alreadyHeld)
    {
        _inner = inner;
        foreach (var commit in alreadyHeld ?? [])
        {
            _partitions.Add((commit.Topic, commit.Partition));
        }
    }

    public async Task SendAsync(GatherPart part)
    {
        if (part is GroupOffsetsPart offsets)
        {
            lock (_lock)
            {
                foreach (var group in offsets.Groups)
                {
                    foreach (var commit in group.Offsets)
                    {
                        _partitions.Add((commit.Topic, commit.Partition));
                    }
                }
            }
        }
        await _inner.SendAsync(part).ConfigureAwait(false);
    }

    public Task ReportAsync(GatherError error) => _inner.ReportAsync(error);

    /// <summary>A copy of the partitions with a commit sent so far.</summary>
    public HashSet<(string Topic, int Partition)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _partitions];
        }
    }
}
