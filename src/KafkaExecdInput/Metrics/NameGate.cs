using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Logging;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Metrics;

/// <summary>
/// Decides which topic, group and broker names (and other tag values from Kafka) may appear in metrics: they must be representable
/// as Influx tag values (the configured filters were already applied by the worker). Names are
/// rejected with one warning each for the life of the gate, so a bad group name does not repeat in
/// the log every gather.
/// </summary>
internal sealed partial class NameGate(ILogger logger)
{
    private readonly HashSet<(string Kind, string Name)> _reported = [];

    public bool AllowsTopic(string topic) => Allows(topic, "topic");

    public bool AllowsGroup(string groupId) => Allows(groupId, "consumer group");

    public bool AllowsBrokerAddress(string address) => Allows(address, "broker address");

    /// <summary>Whether <paramref name="name"/> can be a tag value; <paramref name="kind"/> names it in the warning.</summary>
    public bool Allows(string name, string kind)
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
    }
}
