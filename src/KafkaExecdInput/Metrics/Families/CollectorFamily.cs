using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_collector</c>: the self-metric, written last and always, even when nothing could be
/// read: it is where a partial gather is visible.
/// </summary>
internal sealed class CollectorFamily() : MetricFamily("collector", SnapshotNeeds.None, Line)
{
    private static readonly MetricField GatherDurationSeconds = MetricField.Float("gather_duration_seconds", "how long the collection took");

    private static readonly MetricField Errors = MetricField.Integer("errors", "errors in this collection");

    private static readonly MetricField LineCount = MetricField.Integer("lines", "metric lines written before this one");

    private static readonly MetricField Partial = MetricField.Integer("partial", "1 when something could not be read");

    private static readonly MetricField WorkerRestarts = MetricField.Integer("worker_restarts", "Kafka worker processes replaced since start (counter)");

    private static readonly MetricField WorkersAbandoned = MetricField.Integer(
        "workers_abandoned", "Kafka worker processes killed since start because a gather reached its deadline (timeout + 0.5 s) before they answered; part of worker_restarts (counter)");

    private static readonly MetricLine Line = new(
        EncodedName.Measurement("kafka_collector"), [], GatherDurationSeconds, Errors, LineCount, Partial, WorkerRestarts, WorkersAbandoned);

    public override bool CanBeTurnedOff => false;

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        writer.BeginLine(Line.Measurement);
        writer.Field(GatherDurationSeconds.Key, gather.Summary.Duration.TotalSeconds);
        writer.Field(Errors.Key, gather.Snapshot.Errors.Count);
        writer.Field(LineCount.Key, writer.LinesWritten - gather.LinesBefore);
        writer.Field(Partial.Key, gather.Snapshot.IsPartial ? 1L : 0L);
        writer.Field(WorkerRestarts.Key, gather.Summary.WorkerRestarts);
        writer.Field(WorkersAbandoned.Key, gather.Summary.WorkersAbandoned);
        writer.EndLine(gather.TimestampNs);
    }
}
