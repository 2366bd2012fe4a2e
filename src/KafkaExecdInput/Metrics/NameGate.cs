using KafkaExecdInput.Configuration;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Logging;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Metrics;

/// <summary>
/// Decides which topic, group and broker names may appear in metrics: they must pass the configured
/// filters and be representable as Influx tag values. Names are rejected with one warning each for
/// the life of the gate, so a bad group name does not repeat in the log every gather.
/// </summary>
internal sealed partial class NameGate(ILogger logger, NameFilter topicFilter, NameFilter groupFilter)
{
    // Filter decisions are remembered so 150k committed offsets cost a dictionary lookup, not a
    // regex evaluation, each; the cache is dropped if topic churn ever makes it this large.
    private const int MaxRememberedDecisions = 100_000;

    private readonly Dictionary<string, bool> _topicDecisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _groupDecisions = new(StringComparer.Ordinal);
    private readonly HashSet<(string Kind, string Name)> _reported = [];

    public bool AllowsTopic(string topic) => Allows(topic, "topic", topicFilter, _topicDecisions);

    public bool AllowsGroup(string groupId) => Allows(groupId, "consumer group", groupFilter, _groupDecisions);

    public bool AllowsBrokerAddress(string address) => IsRepresentable(address, "broker address");

    private bool Allows(string name, string kind, NameFilter filter, Dictionary<string, bool> decisions)
    {
        if (filter.IncludesEverything)
        {
            return IsRepresentable(name, kind);
        }

        if (decisions.TryGetValue(name, out bool allowed))
        {
            return allowed;
        }

        if (decisions.Count >= MaxRememberedDecisions)
        {
            decisions.Clear();
        }

        FilterDecision decision = filter.Evaluate(name);
        if (decision == FilterDecision.TimedOut && _reported.Add((kind + " filter", name)))
        {
            Log.FilterTimedOut(logger, kind, LogText.Quote(name), NameFilter.MatchTimeout.TotalMilliseconds);
        }

        allowed = decision == FilterDecision.Included && IsRepresentable(name, kind);
        decisions[name] = allowed;
        return allowed;
    }

    private bool IsRepresentable(string name, string kind)
    {
        NameProblem problem = LineProtocolSyntax.CheckTagValue(name);
        if (problem == NameProblem.None)
        {
            return true;
        }

        if (_reported.Add((kind, name)))
        {
            Log.Unrepresentable(logger, kind, LogText.Quote(name), LineProtocolSyntax.Describe(problem));
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Leaving {Kind} {Name} out of the metrics: the name {Problem}, which an Influx tag cannot carry exactly (reported once)")]
        public static partial void Unrepresentable(ILogger logger, string kind, string name, string problem);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Leaving {Kind} {Name} out of the metrics: a filter pattern took longer than {TimeoutMs} ms on it (reported once)")]
        public static partial void FilterTimedOut(ILogger logger, string kind, string name, double timeoutMs);
    }
}
