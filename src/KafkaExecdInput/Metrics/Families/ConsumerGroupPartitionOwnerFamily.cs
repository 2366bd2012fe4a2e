using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup_partition_owner</c>: which member owns each assigned partition, as an info
/// series labelled with the member's client id and host (kafka-lag-exporter's client_id and member_host).
/// One series per group-partition, and a new one whenever a partition moves, so it is off unless
/// <c>group_partition_owners = true</c> (Configuration/Options.cs). It costs no Kafka request: the
/// assignments come with the group descriptions.
/// </summary>
internal sealed class ConsumerGroupPartitionOwnerFamily() : MetricFamily(FamilyName, SnapshotNeeds.GroupDescriptions, Line)
{
    public const string FamilyName = "consumergroup_partition_owner";

    private static readonly EncodedName Measurement = EncodedName.Measurement("kafka_consumergroup_partition_owner");

    private static readonly MetricTag ClientId = new("client_id");

    private static readonly MetricTag Host = new("host", "the owner's address as the coordinator saw it, e.g. /10.0.0.1");

    private static readonly MetricField Info = MetricField.Integer("info", "always 1: one series per assigned group-partition, labelled with its owner");

    private static readonly MetricLine Line = new(
        Measurement, [ClientId, MetricTags.ConsumerGroup, Host, MetricTags.Partition, MetricTags.Topic], Info);

    private static readonly Comparison<Owner> OwnerOrder = static (x, y) =>
    {
        int byTopic = string.CompareOrdinal(x.Topic, y.Topic);
        if (byTopic != 0)
        {
            return byTopic;
        }

        int byPartition = x.Partition.CompareTo(y.Partition);
        if (byPartition != 0)
        {
            return byPartition;
        }

        int byClient = string.CompareOrdinal(x.Member.ClientId, y.Member.ClientId);
        return byClient != 0 ? byClient : string.CompareOrdinal(x.Member.Host, y.Member.Host);
    };

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        var owners = new List<Owner>();
        foreach (ConsumerGroupInfo group in gather.Groups)
        {
            if (gather.DetailOf(group) is not { } detail)
            {
                continue;
            }

            owners.Clear();
            foreach (GroupMember member in detail.Members)
            {
                // A member without a client id or host would write a line with fewer tags than declared.
                if (member.Assignment is null || member.ClientId.Length == 0 || member.Host.Length == 0
                    || !gather.Names.Allows(member.ClientId, "client id")
                    || !gather.Names.Allows(member.Host, "member host"))
                {
                    continue;
                }

                foreach (AssignedTopic topic in member.Assignment)
                {
                    if (gather.Names.AllowsTopic(topic.Topic))
                    {
                        foreach (int partition in topic.Partitions)
                        {
                            owners.Add(new Owner(topic.Topic, partition, member));
                        }
                    }
                }
            }

            owners.Sort(OwnerOrder);
            for (int i = 0; i < owners.Count; i++)
            {
                // The same partition listed twice for one owner would write one series twice.
                if (i > 0 && OwnerOrder(owners[i - 1], owners[i]) == 0)
                {
                    continue;
                }

                Owner owner = owners[i];
                writer.BeginLine(Measurement);
                writer.Tag(ClientId.Key, owner.Member.ClientId);
                writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
                writer.Tag(Host.Key, owner.Member.Host);
                writer.Tag(MetricTags.Partition.Key, owner.Partition);
                writer.Tag(MetricTags.Topic.Key, owner.Topic);
                writer.Field(Info.Key, 1L);
                writer.EndLine(gather.TimestampNs);
            }
        }
    }

    private readonly record struct Owner(string Topic, int Partition, GroupMember Member);
}
