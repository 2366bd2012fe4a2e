using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup_lag_status</c>: each group's Burrow-style lag status (README, "Lag status";
/// the values come from History/LagStatusEvaluator), its worst partition's with STOP, STALL and REWIND
/// shown as ERR, as Telegraf's <c>inputs.burrow</c> reports <c>burrow_group</c>. A measurement of its
/// own, one line per group: a status tag on a shipped series would change its label set (design.md §4).
/// </summary>
internal sealed class ConsumerGroupLagStatusFamily()
    : MetricFamily("consumergroup_lag_status", LagStatusFields.Needs, Line)
{
    private static readonly MetricField Complete = MetricField.Float(
        "complete", "share of the group's partitions whose window is full (Burrow's group complete), 0 to 1");

    private static readonly MetricLine Line = new(
        EncodedName.Measurement("kafka_consumergroup_lag_status"), [MetricTags.ConsumerGroup],
        LagStatusFields.Status(LagStatusFields.GroupStatuses), LagStatusFields.Code(LagStatusFields.GroupStatuses), Complete);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        if (gather.Snapshot.LagStatus is not { Count: > 0 } table)
        {
            return;
        }
        foreach (ConsumerGroupInfo group in gather.Groups)
        {
            if (table.GetGroup(group.GroupId) is not { } value)
            {
                continue;
            }
            writer.BeginLine(Line.Measurement);
            writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
            LagStatusFields.Write(writer, value);
            writer.EndLine(gather.TimestampNs);
        }
    }
}

/// <summary>The fields both lag status families write, so the two read alike.</summary>
internal static class LagStatusFields
{
    public const string GroupStatuses = "OK, WARN or ERR";

    public const string PartitionStatuses = "OK, WARN, STOP, STALL or REWIND";

    /// <summary>Commits to evaluate, latest offsets for their lag, the membership that tells STOP from STALL.</summary>
    public const SnapshotNeeds Needs = SnapshotNeeds.CommittedOffsets | SnapshotNeeds.LatestOffsets | SnapshotNeeds.GroupDescriptions;

    public static MetricField Status(string statuses) => MetricField.String("status", $"Burrow's status name: {statuses}");

    public static MetricField Code(string statuses) => MetricField.Integer(
        "status_code", $"the status as Telegraf inputs.burrow numbers it ({statuses}): 1 OK, 3 WARN, 4 ERR, 5 STOP, 6 STALL; 7 REWIND (inputs.burrow has no code for it)");

    private static readonly EncodedName StatusKey = EncodedName.FieldKey("status");

    private static readonly EncodedName CodeKey = EncodedName.FieldKey("status_code");

    private static readonly EncodedName CompleteKey = EncodedName.FieldKey("complete");

    public static void Write(LineProtocolWriter writer, LagStatusValue value)
    {
        writer.Field(StatusKey, value.Name);
        writer.Field(CodeKey, (long)value.Status);
        writer.Field(CompleteKey, Math.Round(value.Complete, 3)); // a fraction of a few partitions or points: no float noise
    }
}
