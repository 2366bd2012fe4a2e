using System.Globalization;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup_state</c>: each described group's state, twice: as a number on a series that
/// keeps its labels when the state changes (to graph and alert on), and as an info series labelled with
/// the state's name (to read). A measurement of its own: a <c>state</c> tag on <c>kafka_consumergroup</c>
/// would change the label set of kafka_exporter's <c>kafka_consumergroup_members</c> (design.md §4).
/// </summary>
/// <remarks>
/// The numbers follow librdkafka's <c>rd_kafka_consumer_group_state_t</c> (Confluent.Kafka's
/// <c>ConsumerGroupState</c>), then KIP-848's two consumer-protocol states. A group that could not be
/// described (no member count) has no state here: its "Unknown" is the reader's placeholder, not
/// something Kafka said. A state name this table does not know is written as code 0 with its name.
/// </remarks>
internal sealed class ConsumerGroupStateFamily() : MetricFamily("consumergroup_state", SnapshotNeeds.GroupDescriptions, CodeLine, InfoLine)
{
    /// <summary>State names by code.</summary>
    private static readonly string[] StateNames =
        ["Unknown", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead", "Empty", "Assigning", "Reconciling"];

    private static readonly EncodedName Measurement = EncodedName.Measurement("kafka_consumergroup_state");

    private static readonly MetricTag State = new("state", "the state's name");

    private static readonly MetricField Code = MetricField.Integer("code", "the group state as a number: " + CodeList());

    private static readonly MetricField Info = MetricField.Integer("info", "always 1: one series per group, labelled with its state");

    private static readonly MetricLine CodeLine = new(Measurement, [MetricTags.ConsumerGroup], Code);

    private static readonly MetricLine InfoLine = new(Measurement, [MetricTags.ConsumerGroup, State], Info);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        ReadOnlySpan<ConsumerGroupInfo> groups = gather.Groups;
        foreach (ConsumerGroupInfo group in groups)
        {
            if (IsKnown(group))
            {
                writer.BeginLine(Measurement);
                writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
                writer.Field(Code.Key, CodeOf(group.State));
                writer.EndLine(gather.TimestampNs);
            }
        }

        foreach (ConsumerGroupInfo group in groups)
        {
            if (IsKnown(group) && NameOf(group.State) is var name && gather.Names.Allows(name, "consumer group state"))
            {
                writer.BeginLine(Measurement);
                writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
                writer.Tag(State.Key, name);
                writer.Field(Info.Key, 1L);
                writer.EndLine(gather.TimestampNs);
            }
        }
    }

    /// <summary>The code for a state as librdkafka (or, in the classic listing, the broker) names it.</summary>
    private static int CodeOf(string state) => state switch
    {
        "PreparingRebalance" => 1,
        // Older brokers name CompletingRebalance "AwaitingSync" in DescribeGroups (it was renamed later).
        "CompletingRebalance" or "AwaitingSync" => 2,
        "Stable" => 3,
        "Dead" => 4,
        "Empty" => 5,
        "Assigning" => 6,
        "Reconciling" => 7,
        _ => 0,
    };

    /// <summary>One name per code, so the info series does not split on a broker's old spelling; an unknown name as it came.</summary>
    private static string NameOf(string state) => CodeOf(state) is var code and > 0 ? StateNames[code] : state;

    /// <summary>The state was read: the group was described and the state has a name.</summary>
    private static bool IsKnown(ConsumerGroupInfo group) => group.MemberCount is not null && !string.IsNullOrEmpty(group.State);

    private static string CodeList() =>
        string.Join(", ", StateNames.Select((name, code) => string.Create(CultureInfo.InvariantCulture, $"{code} {name}")));
}
