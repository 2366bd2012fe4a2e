using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Counts per-item failures (a group, a partition) by reason, so that 500 groups failing the same
/// way become one error line naming a few of them instead of 500 lines.
/// </summary>
internal sealed class FailureTally(string source, string itemNoun)
{
    private const int ExamplesShown = 3;
    private readonly Dictionary<string, (int Count, List<string> Examples)> _byReason = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string item, string reason)
    {
        lock (_lock)
        {
            if (!_byReason.TryGetValue(reason, out var entry))
            {
                entry = (0, []);
            }
            if (entry.Examples.Count < ExamplesShown)
            {
                entry.Examples.Add(item);
            }
            _byReason[reason] = (entry.Count + 1, entry.Examples);
        }
    }

    public IReadOnlyList<GatherError> ToErrors()
    {
        lock (_lock)
        {
            return _byReason
                .OrderByDescending(kv => kv.Value.Count)
                .Select(kv => new GatherError(source, Describe(kv.Key, kv.Value.Count, kv.Value.Examples)))
                .ToList();
        }
    }

    private string Describe(string reason, int count, List<string> examples)
    {
        var names = string.Join(", ", examples.Select(e => $"\"{e}\""));
        var more = count > examples.Count ? ", …" : "";
        return count == 1
            ? $"{itemNoun} {names}: {reason}"
            : $"{count} {itemNoun}s ({names}{more}): {reason}";
    }
}
