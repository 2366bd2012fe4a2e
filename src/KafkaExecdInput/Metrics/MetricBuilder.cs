using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Sharding;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaExecdInput.Metrics;

/// <summary>What the caller knows about a gather beyond its snapshot.</summary>
/// <param name="Duration">Wall time of the gather.</param>
/// <param name="WorkerRestarts">How often the worker process was restarted since the plugin started.</param>
/// <param name="WorkersAbandoned">How many of those restarts were workers killed at a gather's hard limit.</param>
internal readonly record struct GatherSummary(TimeSpan Duration, int WorkerRestarts, int WorkersAbandoned = 0);

/// <summary>
/// Maps one <see cref="ClusterSnapshot"/> to metric lines (design.md §4): each family in
/// <see cref="MetricFamilies.All"/> in turn, the <c>kafka_collector</c> self-metric last.
/// </summary>
/// <remarks>
/// <para>Output is deterministic: families in registration order, each in the order of
/// <see cref="GatherView"/>. Every line carries the one timestamp of the gather.</para>
/// <para>Topics and groups arrive already filtered (the worker filters before it asks Kafka). A
/// name that cannot be written as a tag is left out with all its lines (<see cref="NameGate"/>).</para>
/// <para>The families share one <see cref="GatherView"/>, whose sort buffers are kept between
/// gathers, so a steady-state gather allocates next to nothing. Not thread-safe: one builder per
/// output stream.</para>
/// </remarks>
internal sealed class MetricBuilder
{
    private readonly MetricFamily[] _families;
    private readonly GatherView _view;

    /// <param name="logger">Where names that cannot be tags are reported (once each).</param>
    /// <param name="families">The families to write, in output order; all of them by default.</param>
    /// <param name="shard">This agent's share of the cluster (README, Sharding); the whole cluster by default.</param>
    public MetricBuilder(ILogger logger, IEnumerable<MetricFamily>? families = null, Shard? shard = null)
    {
        _families = [.. families ?? MetricFamilies.All];
        _view = new GatherView(new NameGate(logger), shard);
    }

    /// <summary>A builder that logs nowhere, for tools and benchmarks.</summary>
    public MetricBuilder()
        : this(NullLogger.Instance)
    {
    }

    /// <summary>
    /// Writes all lines for <paramref name="snapshot"/> and returns how many lines were written
    /// (including the self-metric).
    /// </summary>
    public int Write(ClusterSnapshot snapshot, GatherSummary summary, long timestampNs, LineProtocolWriter writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);

        int linesBefore = writer.LinesWritten;
        _view.Begin(snapshot, summary, timestampNs, linesBefore);
        try
        {
            foreach (MetricFamily family in _families)
            {
                family.Write(_view, writer);
            }
        }
        finally
        {
            _view.End();
        }

        return writer.LinesWritten - linesBefore;
    }
}
