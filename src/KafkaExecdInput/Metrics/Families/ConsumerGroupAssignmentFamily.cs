using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Metrics.Families;

/// <summary>
/// <c>kafka_consumergroup_assignment</c>: how a group's partitions are spread over its members. Written
/// only when every member's assignment is known (a classic group tells it only once Stable); the count
/// of committed but unowned partitions only when the group has members and its offsets were read (a
/// group with no members owns nothing, which is no news).
/// </summary>
internal sealed class ConsumerGroupAssignmentFamily()
    : MetricFamily("consumergroup_assignment", SnapshotNeeds.GroupDescriptions | SnapshotNeeds.CommittedOffsets, Line)
{
    private static readonly EncodedName Measurement = EncodedName.Measurement("kafka_consumergroup_assignment");

    private static readonly MetricField Partitions = MetricField.Integer("partitions", "partitions assigned to the group's members");

    private static readonly MetricField MembersUnassigned = MetricField.Integer("members_unassigned", "members that own no partition");

    private static readonly MetricField UnownedPartitions = MetricField.Integer(
        "unowned_partitions", "partitions with a committed offset that no member owns, while the group has members");

    private static readonly MetricLine Line = new(Measurement, [MetricTags.ConsumerGroup], Partitions, MembersUnassigned, UnownedPartitions);

    public override void Write(GatherView gather, LineProtocolWriter writer)
    {
        foreach (ConsumerGroupInfo group in gather.Groups)
        {
            if (gather.DetailOf(group) is not { } detail || !AllAssignmentsKnown(detail))
            {
                continue;
            }

            int partitions = 0;
            int unassigned = 0;
            foreach (GroupMember member in detail.Members)
            {
                int owned = 0;
                foreach (AssignedTopic topic in member.Assignment!)
                {
                    owned += topic.Partitions.Count;
                }

                partitions += owned;
                unassigned += owned == 0 ? 1 : 0;
            }

            writer.BeginLine(Measurement);
            writer.Tag(MetricTags.ConsumerGroup.Key, group.GroupId);
            writer.Field(Partitions.Key, partitions);
            writer.Field(MembersUnassigned.Key, unassigned);
            if (detail.Members.Count > 0 && group.CommittedOffsets is { } commits)
            {
                writer.Field(UnownedPartitions.Key, CountUnowned(gather, detail, commits));
            }

            writer.EndLine(gather.TimestampNs);
        }
    }

    private static bool AllAssignmentsKnown(GroupDetail detail)
    {
        foreach (GroupMember member in detail.Members)
        {
            if (member.Assignment is null)
            {
                return false;
            }
        }

        return true;
    }

    private static int CountUnowned(GatherView gather, GroupDetail detail, IReadOnlyList<CommittedOffset> commits)
    {
        HashSet<(string Topic, int Partition)> owned = gather.PartitionSet();
        foreach (GroupMember member in detail.Members)
        {
            foreach (AssignedTopic topic in member.Assignment!)
            {
                foreach (int partition in topic.Partitions)
                {
                    owned.Add((topic.Topic, partition));
                }
            }
        }

        int unowned = 0;
        for (int i = 0; i < commits.Count; i++)
        {
            unowned += owned.Contains((commits[i].Topic, commits[i].Partition)) ? 0 : 1;
        }

        return unowned;
    }
}
