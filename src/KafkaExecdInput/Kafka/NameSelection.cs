using KafkaExecdInput.Configuration;
using KafkaExecdInput.Logging;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// The topic and group filters, applied in the worker where they save requests: an excluded
/// topic's offsets and an excluded group's offsets are never asked for. A pattern that takes too
/// long on a name leaves that name out, with one warning for the worker's life.
/// </summary>
internal sealed class NameSelection(NameFilter topics, NameFilter groups, ILogger logger)
{
    private readonly HashSet<(string Kind, string Name)> _reported = [];

    public bool IncludesTopic(string name) => Includes(topics, name, "topic");

    public bool IncludesGroup(string name) => Includes(groups, name, "consumer group");

    private bool Includes(NameFilter filter, string name, string kind)
    {
        var decision = filter.Evaluate(name);
        if (decision == FilterDecision.TimedOut)
        {
            bool first;
            lock (_reported)
            {
                first = _reported.Add((kind, name));
            }
            if (first)
            {
                logger.LogWarning("leaving {Kind} {Name} out: a filter pattern took longer than {TimeoutMs} ms on it (reported once)",
                    kind, LogText.Quote(name), NameFilter.MatchTimeout.TotalMilliseconds);
            }
        }
        return decision == FilterDecision.Included;
    }
}
