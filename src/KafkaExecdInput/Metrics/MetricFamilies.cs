using KafkaExecdInput.Configuration;
using KafkaExecdInput.History;
using KafkaExecdInput.Metrics.Families;

namespace KafkaExecdInput.Metrics;

/// <summary>The registered metric families, in output order.</summary>
internal static class MetricFamilies
{
    /// <summary>
    /// Every family, in the order its lines are written. The self-metric comes last: it counts the
    /// lines before it. Adding a family is one file in Families/ and one line here.
    /// </summary>
    public static readonly IReadOnlyList<MetricFamily> All =
    [
        new ClusterFamily(),
        new BrokerFamily(),
        new TopicFamily(),
        new TopicPartitionFamily(),
        new ConsumerGroupFamily(),
        new ConsumerGroupTopicFamily(),
        new ConsumerGroupPartitionFamily(),
        new ConsumerGroupStateFamily(),
        new ConsumerGroupLagSecondsFamily(),
        new ConsumerGroupInfoFamily(),
        new ConsumerGroupAssignmentFamily(),
        new ConsumerGroupPartitionOwnerFamily(),
        new ConsumerGroupLagStatusFamily(),
        new ConsumerGroupPartitionLagStatusFamily(),
        new ClusterInfoFamily(),
        new ClusterTotalsFamily(),
        new BrokerDetailFamily(),
        new TopicReplicationFamily(),
        new TopicConfigFamily(),
        new CollectorFamily(),
    ];

    /// <summary>
    /// All families but the named ones, in output order: the hook for an option that turns families
    /// off. Throws for a name that is not a family or names one that cannot be turned off.
    /// </summary>
    public static IReadOnlyList<MetricFamily> Without(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (string name in names)
        {
            MetricFamily family = All.FirstOrDefault(f => f.Name == name)
                ?? throw new ArgumentException($"'{name}' is not a metric family; known: {string.Join(", ", All.Select(f => f.Name))}.", nameof(names));
            if (!family.CanBeTurnedOff)
            {
                throw new ArgumentException($"The metric family '{name}' cannot be turned off.", nameof(names));
            }
        }

        return [.. All.Where(f => !names.Contains(f.Name))];
    }

    /// <summary>The families a configuration turns on: all but those in exclude_metrics and the opt-in ones it does not ask for.</summary>
    public static IReadOnlyList<MetricFamily> For(PluginConfig config) =>
        Without([.. config.Get(Options.ExcludeMetrics),
            .. config.Get(Options.GroupPartitionOwners) ? Array.Empty<string>() : [ConsumerGroupPartitionOwnerFamily.FamilyName]]);

    /// <summary>
    /// Whether the history must sample each partition's latest offset every gather: only lag in
    /// seconds reads those rings, and at L they are most of the parent's history memory.
    /// </summary>
    public static bool SampleLatestOffsets(IEnumerable<MetricFamily> families) =>
        families.Any(f => f is ConsumerGroupLagSecondsFamily);

    /// <summary>
    /// The lag-status settings when a lag-status family is on, else null: with both off, the history
    /// keeps no commit windows.
    /// </summary>
    public static LagStatusSettings? LagStatusOf(IEnumerable<MetricFamily> families, PluginConfig config) =>
        families.Any(f => f is ConsumerGroupLagStatusFamily or ConsumerGroupPartitionLagStatusFamily)
            ? new LagStatusSettings(config.Get(Options.LagStatusWindow), config.Get(Options.AllowedLag))
            : null;

    /// <summary>What a gather must read from Kafka for these families.</summary>
    public static SnapshotNeeds NeedsOf(IEnumerable<MetricFamily> families) =>
        families.Aggregate(SnapshotNeeds.None, (needs, family) => needs | family.Needs);
}
