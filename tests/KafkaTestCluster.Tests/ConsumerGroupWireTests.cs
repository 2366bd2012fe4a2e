using KafkaTestCluster.Apis;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>
/// KIP-848 consumer-type groups on the wire, as Kafka 4 answers: ConsumerGroupDescribe (69) at every
/// advertised version, ListGroups' types and states, DescribeGroups' GROUP_ID_NOT_FOUND for a group that is
/// not classic, and the member checks of OffsetCommit/OffsetFetch. Responses are decoded field by field from
/// apache/kafka's ConsumerGroupDescribeResponse.json, ListGroupsResponse.json and DescribeGroupsResponse.json
/// (written here independently of the handlers) and must end exactly where the frame ends.
/// </summary>
public sealed class ConsumerGroupWireTests : IDisposable
{
    private const string Member1 = "AAAAAAAAAAAAAAAAAAAAAQ";
    private const string Member2 = "AAAAAAAAAAAAAAAAAAAAAg";
    private const int Coordinator = 1;

    private readonly TestCluster _cluster = TestCluster.Start();
    private readonly RawKafkaClient _client;

    public ConsumerGroupWireTests()
    {
        _cluster.CreateTopic("orders", 3);
        _cluster.CreateTopic("audit", 1);
        foreach (var group in new[] { "modern", "reconciling", "assigning", "classic", "modern-empty", "nobody" })
        {
            _cluster.Faults.MoveCoordinator(group, Coordinator);
        }

        _cluster.SetConsumerGroup(new ConsumerGroupSpec("modern", ConsumerProtocolGroupState.Stable,
        [
            new ConsumerMemberSpec(Member1, "client-1", "/10.0.0.1", ["audit", "orders"], [new("orders", 2), new("orders", 0), new("audit", 0)],
                InstanceId: "instance-1", RackId: "rack-a"),
            new ConsumerMemberSpec(Member2, "client-2", "/10.0.0.2", [], [new("orders", 1)], SubscribedTopicRegex: "ord.*"),
        ], GroupEpoch: 7));
        _cluster.SetConsumerGroup(new ConsumerGroupSpec("reconciling", ConsumerProtocolGroupState.Reconciling,
            [new ConsumerMemberSpec(Member1, "client-3", "/10.0.0.3", ["orders"], [new("orders", 0)], [new("orders", 0), new("orders", 1)])],
            Assignor: "range", GroupEpoch: 4));
        _cluster.SetConsumerGroup(new ConsumerGroupSpec("assigning", ConsumerProtocolGroupState.Assigning,
            [new ConsumerMemberSpec(Member1, "client-4", "/10.0.0.4", ["orders"], [])], GroupEpoch: 3));
        _cluster.SetConsumerGroup(new ConsumerGroupSpec("modern-empty", ConsumerProtocolGroupState.Empty, []));
        _cluster.SetGroup(new GroupSpec("classic", GroupState.Stable, [new MemberSpec("classic-1", "c", "/10.0.0.9", [new("orders", 0)])]));
        _cluster.CommitOffset("modern", "orders", 0, 42);
        _client = RawKafkaClient.Connect(_cluster.BrokerAddress(Coordinator));
    }

    public void Dispose()
    {
        _client.Dispose();
        _cluster.Dispose();
    }


    // ------------------------------------------------------------------ ConsumerGroupDescribe

    [Fact]
    public void ConsumerGroupDescribeAllVersionsDescribeAConsumerGroupFieldByField()
    {
        var orders = TopicId("orders");
        var audit = TopicId("audit");
        Assert.Equal([0, 1], RawRequests.AdvertisedVersions(ApiKey.ConsumerGroupDescribe).Select(v => (int)v));
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.ConsumerGroupDescribe))
        {
            var groups = ConsumerGroupDescribe(v, includeOperations: true, "modern");

            var g = Assert.Single(groups);
            Assert.Equal((ErrorCodes.None, (string?)null, "modern", "Stable"), (g.Error, g.Message, g.GroupId, g.State));
            Assert.Equal((7, 7, "uniform"), (g.GroupEpoch, g.AssignmentEpoch, g.Assignor));
            Assert.Equal(AuthorizedOperations.Group, g.AuthorizedOperations);
            Assert.Equal(2, g.Members.Count);
            var m1 = g.Members[0];
            Assert.Equal((Member1, "instance-1", "rack-a", 7, "client-1", "/10.0.0.1"), (m1.MemberId, m1.InstanceId, m1.RackId, m1.MemberEpoch, m1.ClientId, m1.Host));
            Assert.Equal(["audit", "orders"], m1.SubscribedTopics);
            Assert.Null(m1.SubscribedTopicRegex);
            // Topics sorted by name, partitions sorted, each with the topic's id.
            Assert.Equal([(audit, "audit", new[] { 0 }), (orders, "orders", new[] { 0, 2 })], m1.Assignment.Select(Flatten));
            Assert.Equal(m1.Assignment.Select(Flatten), m1.TargetAssignment.Select(Flatten));
            Assert.Equal(v >= 1 ? (sbyte)1 : null, m1.MemberType);
            var m2 = g.Members[1];
            Assert.Equal((Member2, (string?)null, (string?)null, "ord.*"), (m2.MemberId, m2.InstanceId, m2.RackId, m2.SubscribedTopicRegex));
            Assert.Empty(m2.SubscribedTopics);
            Assert.Equal([(orders, "orders", new[] { 1 })], m2.Assignment.Select(Flatten));
        }
    }

    [Fact]
    public void ConsumerGroupDescribeReportsKip848StatesAndEpochs()
    {
        var groups = ConsumerGroupDescribe(0, includeOperations: false, "reconciling", "assigning", "modern-empty");

        Assert.Equal(["Reconciling", "Assigning", "Empty"], groups.Select(g => g.State));
        Assert.All(groups, g => Assert.Equal(AuthorizedOperations.NotRequested, g.AuthorizedOperations));
        var reconciling = groups[0];
        Assert.Equal((4, 4, "range"), (reconciling.GroupEpoch, reconciling.AssignmentEpoch, reconciling.Assignor));
        var member = Assert.Single(reconciling.Members);
        Assert.Equal(3, member.MemberEpoch); // behind its target: still reconciling
        Assert.Equal([0], member.Assignment.Single().Partitions);
        Assert.Equal([0, 1], member.TargetAssignment.Single().Partitions);
        var assigning = groups[1];
        Assert.Equal((3, 2), (assigning.GroupEpoch, assigning.AssignmentEpoch)); // target not computed yet for epoch 3
        Assert.Empty(Assert.Single(assigning.Members).Assignment);
        Assert.Empty(groups[2].Members);
        Assert.Equal(1, groups[2].GroupEpoch);
    }

    [Fact]
    public void ConsumerGroupDescribeAnswersGroupIdNotFoundForClassicAndUnknownGroups()
    {
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.ConsumerGroupDescribe))
        {
            var groups = ConsumerGroupDescribe(v, includeOperations: true, "classic", "nobody");

            Assert.Equal(
                [
                    (ErrorCodes.GroupIdNotFound, "Group classic is not a consumer group.", "classic"),
                    (ErrorCodes.GroupIdNotFound, "Group nobody not found.", "nobody"),
                ],
                groups.Select(g => (g.Error, g.Message, g.GroupId)));
            Assert.All(groups, g =>
            {
                Assert.Equal(("", 0, 0, "", 0), (g.State, g.GroupEpoch, g.AssignmentEpoch, g.Assignor, g.Members.Count));
                Assert.Equal(AuthorizedOperations.NotRequested, g.AuthorizedOperations);
            });
        }
    }

    [Fact]
    public void ConsumerGroupDescribeReportsCoordinatorAndInjectedErrorsPerGroup()
    {
        using var other = RawKafkaClient.Connect(_cluster.BrokerAddress(2));
        var moved = ConsumerGroupDescribe(other, 0, false, "modern");
        Assert.Equal(ErrorCodes.NotCoordinator, Assert.Single(moved).Error);

        _cluster.Faults.FailNext(ApiKey.ConsumerGroupDescribe, ErrorCodes.CoordinatorLoadInProgress);
        var loading = ConsumerGroupDescribe(0, false, "modern", "classic");
        Assert.All(loading, g => Assert.Equal(ErrorCodes.CoordinatorLoadInProgress, g.Error));
        Assert.Equal(ErrorCodes.None, Assert.Single(ConsumerGroupDescribe(0, false, "modern")).Error);
    }

    [Fact]
    public void ConsumerGroupDescribeLeavesOutAssignedTopicsThatNoLongerExist()
    {
        _cluster.DeleteTopic("audit");

        var member = ConsumerGroupDescribe(1, false, "modern").Single().Members[0];

        Assert.Equal(["orders"], member.Assignment.Select(t => t.Name));
    }

    // ------------------------------------------------------------------ ListGroups

    [Fact]
    public void ListGroupsAllVersionsListEveryTypeWithKafka4StatesAndTypes()
    {
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.ListGroups))
        {
            var listed = ListGroups(v, states: [], types: []).ToDictionary(g => g.GroupId);

            Assert.Equal(["assigning", "classic", "modern", "modern-empty", "reconciling"], listed.Keys.Order(StringComparer.Ordinal));
            Assert.All(listed.Values, g => Assert.Equal("consumer", g.ProtocolType));
            if (v >= 4)
            {
                Assert.Equal(("Stable", "Stable", "Reconciling", "Assigning", "Empty"),
                    (listed["modern"].State, listed["classic"].State, listed["reconciling"].State, listed["assigning"].State, listed["modern-empty"].State));
            }

            if (v >= 5)
            {
                Assert.Equal("classic", listed["classic"].Type);
                Assert.All(listed.Values.Where(g => g.GroupId != "classic"), g => Assert.Equal("consumer", g.Type));
            }
        }
    }

    [Fact]
    public void ListGroupsFiltersByTypeAndStateCaseInsensitively()
    {
        Assert.Equal(["assigning", "modern", "modern-empty", "reconciling"], Ids(ListGroups(5, [], ["CONSUMER"])));
        Assert.Equal(["classic"], Ids(ListGroups(5, [], ["classic"])));
        Assert.Equal(["modern"], Ids(ListGroups(5, ["stable"], ["consumer"])));
        Assert.Equal(["classic", "modern"], Ids(ListGroups(4, ["Stable"], [])));
        Assert.Equal(["assigning", "reconciling"], Ids(ListGroups(4, ["reconciling", "ASSIGNING"], [])));
        Assert.Empty(ListGroups(5, [], ["share"]));

        static List<string> Ids(IEnumerable<ListedGroup> groups) => [.. groups.Select(g => g.GroupId).Order(StringComparer.Ordinal)];
    }

    // ------------------------------------------------------------------ DescribeGroups

    [Fact]
    public void DescribeGroupsAllVersionsAnswerAConsumerGroupAsDeadAndFromV6GroupIdNotFound()
    {
        foreach (var v in RawRequests.AdvertisedVersions(ApiKey.DescribeGroups))
        {
            var consumer = DescribeGroups(v, "modern");
            var unknown = DescribeGroups(v, "nobody");

            var expectedError = v >= 6 ? ErrorCodes.GroupIdNotFound : ErrorCodes.None;
            Assert.Equal((expectedError, v >= 6 ? "Group modern is not a classic group." : null, "Dead", "", "", 0), consumer);
            Assert.Equal((expectedError, v >= 6 ? "Group nobody not found." : null, "Dead", "", "", 0), unknown);
            Assert.Equal((ErrorCodes.None, (string?)null, "Stable", "consumer", "range", 1), DescribeGroups(v, "classic"));
        }
    }

    // ------------------------------------------------------------------ OffsetCommit / OffsetFetch

    [Fact]
    public void OffsetFetchV9ChecksTheMemberOfAConsumerGroupAndAnAdminFetchIsNotChecked()
    {
        var admin = OffsetFetchV9("modern", null, -1);
        Assert.Equal(ErrorCodes.None, admin.Error);
        Assert.Equal([(0, 42L, ErrorCodes.None)], admin.Partitions);
        var member = OffsetFetchV9("modern", Member1, 7);
        Assert.Equal(ErrorCodes.None, member.Error);
        Assert.Equal([(0, 42L, ErrorCodes.None)], member.Partitions);
        Assert.Equal(GroupErrors.StaleMemberEpoch, OffsetFetchV9("modern", Member1, 6).Error);
        Assert.Equal(ErrorCodes.UnknownMemberId, OffsetFetchV9("modern", "someone-else", 7).Error);
        // A classic group does not check them, as Kafka 4's classic group does not.
        Assert.Equal(ErrorCodes.None, OffsetFetchV9("classic", "someone-else", 7).Error);
    }

    [Fact]
    public void OffsetCommitToAConsumerGroupNeedsAMemberAndItsEpoch()
    {
        Assert.Equal(ErrorCodes.None, OffsetCommit(9, "modern", Member1, 7, 50));
        Assert.Equal(50, _cluster.GetCommittedOffset("modern", "orders", 0));
        Assert.Equal(GroupErrors.StaleMemberEpoch, OffsetCommit(9, "modern", Member1, 6, 51));
        Assert.Equal(ErrorCodes.IllegalGeneration, OffsetCommit(8, "modern", Member1, 6, 51));
        Assert.Equal(ErrorCodes.UnknownMemberId, OffsetCommit(9, "modern", "someone-else", 7, 51));
        // An admin commit (no member, epoch -1) only while the group has no members.
        Assert.Equal(ErrorCodes.UnknownMemberId, OffsetCommit(9, "modern", "", -1, 51));
        Assert.Equal(ErrorCodes.None, OffsetCommit(9, "modern-empty", "", -1, 5));
        Assert.Equal(50, _cluster.GetCommittedOffset("modern", "orders", 0));
        Assert.Equal(5, _cluster.GetCommittedOffset("modern-empty", "orders", 0));
    }

    // ------------------------------------------------------------------ advertising

    [Fact]
    public void ApiVersionsAdvertisesConsumerGroupDescribeUnlessTheClusterActsAsKafka3()
    {
        Assert.Equal(((short)0, (short)1), AdvertisedVersions(_client)[ApiKey.ConsumerGroupDescribe]);

        using var kafka3 = TestCluster.Start(new ClusterOptions { Brokers = 1, ConsumerGroupDescribe = false });
        using var client = RawKafkaClient.Connect(kafka3.BrokerAddress(1));
        var apis = AdvertisedVersions(client);
        Assert.DoesNotContain(ApiKey.ConsumerGroupDescribe, apis.Keys);
        Assert.Equal(((short)0, (short)5), apis[ApiKey.ListGroups]);

        // Not served either: an unknown API closes the connection, as on a Kafka broker.
        client.Send(ApiKey.ConsumerGroupDescribe, 0, true, w =>
        {
            w.WriteArrayLength(0);
            w.WriteBool(false);
            w.WriteEmptyTaggedFields();
        });
        Assert.True(client.IsClosedByServer());
        Assert.Equal(1, kafka3.Counters.Requests(ApiKey.ConsumerGroupDescribe));
    }

    // ------------------------------------------------------------------ decoding per the message JSON

    private sealed record DescribedTopic(Guid TopicId, string Name, int[] Partitions);

    private sealed record DescribedMember(
        string MemberId, string? InstanceId, string? RackId, int MemberEpoch, string ClientId, string Host,
        string[] SubscribedTopics, string? SubscribedTopicRegex, List<DescribedTopic> Assignment, List<DescribedTopic> TargetAssignment, sbyte? MemberType);

    private sealed record DescribedGroup(
        short Error, string? Message, string GroupId, string State, int GroupEpoch, int AssignmentEpoch, string Assignor,
        List<DescribedMember> Members, int AuthorizedOperations);

    private readonly record struct ListedGroup(string GroupId, string ProtocolType, string? State, string? Type);

    private static (Guid, string, int[]) Flatten(DescribedTopic t) => (t.TopicId, t.Name, t.Partitions);

    private Guid TopicId(string topic)
    {
        var body = _client.Call(ApiKey.Metadata, 12, true, w =>
        {
            w.WriteArrayLength(1);
            w.WriteUuid(Guid.Empty);
            w.WriteNullableString(topic);
            w.WriteEmptyTaggedFields();
            w.WriteBool(false);
            w.WriteBool(false);
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        var brokers = r.ReadArrayLength();
        for (var i = 0; i < brokers; i++)
        {
            _ = r.ReadInt32();
            _ = r.ReadString();
            _ = r.ReadInt32();
            _ = r.ReadNullableString();
            r.SkipTaggedFields();
        }

        _ = r.ReadNullableString(); // cluster id
        _ = r.ReadInt32(); // controller
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal(0, r.ReadInt16());
        Assert.Equal(topic, r.ReadNullableString());
        var id = r.ReadUuid();
        Assert.NotEqual(Guid.Empty, id);
        return id;
    }

    private List<DescribedGroup> ConsumerGroupDescribe(short version, bool includeOperations, params string[] groupIds) =>
        ConsumerGroupDescribe(_client, version, includeOperations, groupIds);

    private static List<DescribedGroup> ConsumerGroupDescribe(RawKafkaClient client, short version, bool includeOperations, params string[] groupIds)
    {
        // ConsumerGroupDescribeRequest.json: GroupIds []string, IncludeAuthorizedOperations bool; flexible v0+.
        var body = client.Call(ApiKey.ConsumerGroupDescribe, version, true, w =>
        {
            w.WriteArrayLength(groupIds.Length);
            foreach (var id in groupIds)
            {
                w.WriteString(id);
            }

            w.WriteBool(includeOperations);
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        Assert.Equal(0, r.ReadInt32()); // ThrottleTimeMs
        var groups = new List<DescribedGroup>();
        var count = r.ReadArrayLength();
        for (var g = 0; g < count; g++)
        {
            var error = r.ReadInt16();
            var message = r.ReadNullableString();
            var groupId = r.ReadString();
            var state = r.ReadString();
            var groupEpoch = r.ReadInt32();
            var assignmentEpoch = r.ReadInt32();
            var assignor = r.ReadString();
            var members = new List<DescribedMember>();
            var memberCount = r.ReadArrayLength();
            for (var m = 0; m < memberCount; m++)
            {
                var memberId = r.ReadString();
                var instanceId = r.ReadNullableString();
                var rackId = r.ReadNullableString();
                var memberEpoch = r.ReadInt32();
                var clientId = r.ReadString();
                var host = r.ReadString();
                var subscribed = r.ReadNullableStringArray()!;
                var regex = r.ReadNullableString();
                var assignment = ReadAssignment(ref r);
                var target = ReadAssignment(ref r);
                sbyte? memberType = version >= 1 ? r.ReadInt8() : null;
                r.SkipTaggedFields();
                members.Add(new DescribedMember(memberId, instanceId, rackId, memberEpoch, clientId, host, subscribed, regex, assignment, target, memberType));
            }

            var operations = r.ReadInt32();
            r.SkipTaggedFields();
            groups.Add(new DescribedGroup(error, message, groupId, state, groupEpoch, assignmentEpoch, assignor, members, operations));
        }

        r.SkipTaggedFields();
        Assert.True(r.Remaining == 0, $"ConsumerGroupDescribe v{version}: {r.Remaining} byte(s) left");
        return groups;
    }

    /// <summary>The Assignment common struct: TopicPartitions [] of (TopicId uuid, TopicName string, Partitions []int32).</summary>
    private static List<DescribedTopic> ReadAssignment(ref KafkaReader r)
    {
        var topics = new List<DescribedTopic>();
        var count = r.ReadArrayLength();
        for (var t = 0; t < count; t++)
        {
            var id = r.ReadUuid();
            var name = r.ReadString();
            var partitions = r.ReadInt32Array();
            r.SkipTaggedFields();
            topics.Add(new DescribedTopic(id, name, partitions));
        }

        r.SkipTaggedFields();
        return topics;
    }

    private List<ListedGroup> ListGroups(short version, string[] states, string[] types)
    {
        var flexible = ApiRegistry.Default.Find((short)ApiKey.ListGroups)!.IsFlexible(version);
        var body = _client.Call(ApiKey.ListGroups, version, flexible, w =>
        {
            if (version >= 4)
            {
                WriteStrings(w, states);
            }

            if (version >= 5)
            {
                WriteStrings(w, types);
            }

            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible);
        if (version >= 1)
        {
            Assert.Equal(0, r.ReadInt32());
        }

        Assert.Equal(ErrorCodes.None, r.ReadInt16());
        var listed = new List<ListedGroup>();
        var count = r.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            var id = r.ReadString();
            var protocolType = r.ReadString();
            var state = version >= 4 ? r.ReadString() : null;
            var type = version >= 5 ? r.ReadString() : null;
            r.SkipTaggedFields();
            listed.Add(new ListedGroup(id, protocolType, state, type));
        }

        r.SkipTaggedFields();
        Assert.True(r.Remaining == 0, $"ListGroups v{version}: {r.Remaining} byte(s) left");
        return listed;

        static void WriteStrings(KafkaWriter w, string[] values)
        {
            w.WriteArrayLength(values.Length);
            foreach (var value in values)
            {
                w.WriteString(value);
            }
        }
    }

    /// <summary>DescribeGroups of one group: (error, v6 message, state, protocol type, protocol, member count).</summary>
    private (short, string?, string, string, string, int) DescribeGroups(short version, string groupId)
    {
        var flexible = ApiRegistry.Default.Find((short)ApiKey.DescribeGroups)!.IsFlexible(version);
        var body = _client.Call(ApiKey.DescribeGroups, version, flexible, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString(groupId);
            if (version >= 3)
            {
                w.WriteBool(false);
            }

            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible);
        if (version >= 1)
        {
            _ = r.ReadInt32();
        }

        Assert.Equal(1, r.ReadArrayLength());
        var error = r.ReadInt16();
        var message = version >= 6 ? r.ReadNullableString() : null;
        Assert.Equal(groupId, r.ReadString());
        var state = r.ReadString();
        var protocolType = r.ReadString();
        var protocol = r.ReadString();
        var members = r.ReadArrayLength();
        for (var m = 0; m < members; m++)
        {
            _ = r.ReadString();
            if (version >= 4)
            {
                _ = r.ReadNullableString();
            }

            _ = r.ReadString();
            _ = r.ReadString();
            _ = r.ReadBytes();
            _ = r.ReadBytes();
            r.SkipTaggedFields();
        }

        if (version >= 3)
        {
            Assert.Equal(AuthorizedOperations.NotRequested, r.ReadInt32());
        }

        r.SkipTaggedFields();
        r.SkipTaggedFields();
        Assert.True(r.Remaining == 0, $"DescribeGroups v{version}: {r.Remaining} byte(s) left");
        return (error, message, state, protocolType, protocol, members);
    }

    private (short Error, List<(int Partition, long Offset, short Error)> Partitions) OffsetFetchV9(string group, string? memberId, int memberEpoch)
    {
        var body = _client.Call(ApiKey.OffsetFetch, 9, true, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString(group);
            w.WriteNullableString(memberId);
            w.WriteInt32(memberEpoch);
            w.WriteArrayLength(1);
            w.WriteString("orders");
            w.WriteInt32Array([0]);
            w.WriteEmptyTaggedFields();
            w.WriteEmptyTaggedFields();
            w.WriteBool(false);
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal(group, r.ReadString());
        var partitions = RawRequests.ReadOffsetTopics(ref r, version: 9);
        var error = r.ReadInt16();
        r.SkipTaggedFields();
        r.SkipTaggedFields();
        Assert.Equal(0, r.Remaining);
        return (error, partitions);
    }

    /// <summary>OffsetCommit v8/v9 (flexible) of orders/0; returns that partition's error.</summary>
    private short OffsetCommit(short version, string group, string memberId, int epoch, long offset)
    {
        var body = _client.Call(ApiKey.OffsetCommit, version, true, w =>
        {
            w.WriteString(group);
            w.WriteInt32(epoch);
            w.WriteString(memberId);
            w.WriteNullableString(null);
            w.WriteArrayLength(1);
            w.WriteString("orders");
            w.WriteArrayLength(1);
            w.WriteInt32(0);
            w.WriteInt64(offset);
            w.WriteInt32(-1);
            w.WriteNullableString(null);
            w.WriteEmptyTaggedFields();
            w.WriteEmptyTaggedFields();
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        _ = r.ReadInt32();
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal("orders", r.ReadString());
        Assert.Equal(1, r.ReadArrayLength());
        Assert.Equal(0, r.ReadInt32());
        return r.ReadInt16();
    }

    private static Dictionary<ApiKey, (short, short)> AdvertisedVersions(RawKafkaClient client)
    {
        var body = client.Call(ApiKey.ApiVersions, 3, true, w =>
        {
            w.WriteString("test-client");
            w.WriteString("1.0");
            w.WriteEmptyTaggedFields();
        });
        var r = new KafkaReader(body, flexible: true);
        Assert.Equal(ErrorCodes.None, r.ReadInt16());
        var apis = new Dictionary<ApiKey, (short, short)>();
        var count = r.ReadArrayLength();
        for (var i = 0; i < count; i++)
        {
            apis[(ApiKey)r.ReadInt16()] = (r.ReadInt16(), r.ReadInt16());
            r.SkipTaggedFields();
        }

        return apis;
    }
}
