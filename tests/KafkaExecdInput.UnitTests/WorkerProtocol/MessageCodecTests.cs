using System.Buffers;
using System.Globalization;
using System.Text;
using CsCheck;
using KafkaExecdInput.Configuration;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.WorkerProtocol;

public class MessageCodecTests
{
    [Fact]
    public void Start_message_carries_the_protocol_version_and_every_setting_including_secrets_unchanged()
    {
        var settings = new ReaderSettings(
            new Dictionary<string, string> { ["bootstrap.servers"] = "a:9092,b:9092", ["sasl.password"] = "p@ss wörd\n\"<>" },
            NameFilter.FromPatterns(["^orders", "pay"], ["-dlq$"]),
            NameFilter.FromPatterns([], ["^_"]),
            TimeSpan.FromMilliseconds(4321),
            17,
            "eyJhbGciOi.token",
            LogLevel.Debug);

        var decoded = Assert.IsType<StartWorker>(RoundTrip(new StartWorker(MessageCodec.ProtocolVersion, settings)));

        Assert.Equal(MessageCodec.ProtocolVersion, decoded.ProtocolVersion);
        Assert.Equal(settings.ClientProperties, decoded.Settings.ClientProperties);
        Assert.Equal(settings.Topics, decoded.Settings.Topics);
        Assert.Equal(settings.Groups, decoded.Settings.Groups);
        Assert.Equal(FilterDecision.Excluded, decoded.Settings.Groups.Evaluate("_internal"));
        Assert.Equal(settings.RequestTimeout, decoded.Settings.RequestTimeout);
        Assert.Equal(17, decoded.Settings.MaxConcurrentRequests);
        Assert.Equal("eyJhbGciOi.token", decoded.Settings.StaticOAuthToken);
        Assert.Equal(LogLevel.Debug, decoded.Settings.LogLevel);
        Assert.Null(Assert.IsType<StartWorker>(RoundTrip(new StartWorker(1, settings with { StaticOAuthToken = null }))).Settings.StaticOAuthToken);
    }

    [Fact]
    public void Gather_request_round_trips_with_each_offset_group_selection()
    {
        var everything = new GatherRequest(7, TimeSpan.FromSeconds(9), true, true, OffsetGroupSelection.All, true, ["known-1", "known 2"]);
        var resume = new GatherRequest(8, TimeSpan.FromMilliseconds(2500), false, false, new OffsetGroupSelection.These(["g1", "g 2"]), true, []);
        var lastAttempt = resume with { GatherId = 9, OffsetGroups = OffsetGroupSelection.Nothing };

        var decodedEverything = Assert.IsType<GatherRequest>(RoundTrip(everything));
        Assert.Equal(OffsetGroupSelection.All, decodedEverything.OffsetGroups);
        Assert.Equal(["known-1", "known 2"], decodedEverything.KnownGroups);
        Assert.Equal(everything with { KnownGroups = [] }, decodedEverything with { KnownGroups = [] });

        var decodedResume = Assert.IsType<GatherRequest>(RoundTrip(resume));
        Assert.Equal(["g1", "g 2"], Assert.IsType<OffsetGroupSelection.These>(decodedResume.OffsetGroups).GroupIds);
        Assert.Empty(decodedResume.KnownGroups);
        Assert.Equal(resume with { OffsetGroups = OffsetGroupSelection.All, KnownGroups = [] }, decodedResume with { OffsetGroups = OffsetGroupSelection.All, KnownGroups = [] });

        Assert.Equal(lastAttempt with { KnownGroups = [] }, Assert.IsType<GatherRequest>(RoundTrip(lastAttempt)) with { KnownGroups = [] });
    }

    [Fact]
    public void Offset_group_selections_resolve_to_what_they_say()
    {
        IReadOnlyList<string> listed = ["a", "b"];

        Assert.Equal(listed, OffsetGroupSelection.All.Resolve(listed));
        Assert.Empty(OffsetGroupSelection.Nothing.Resolve(listed));
        Assert.Equal(["c"], new OffsetGroupSelection.These(["c"]).Resolve(listed));
    }

    [Fact]
    public void Metadata_part_round_trips()
    {
        var metadata = new ClusterMetadata(
            [new BrokerInfo(1, "kafka-1.example", 9092), new BrokerInfo(2, "kafka-2.example", 9093)],
            [
                new TopicInfo("orders", [new PartitionInfo(0, 1, [1, 2], [1]), new PartitionInfo(1, -1, [2, 1], [])]),
                new TopicInfo("empty", []),
            ]);

        var decoded = Assert.IsType<MetadataPart>(RoundTrip(new MetadataPart(metadata))).Metadata;

        Assert.Equal(metadata.Brokers, decoded.Brokers);
        Assert.Equal(2, decoded.Topics.Count);
        Assert.Equal("orders", decoded.Topics[0].Name);
        Assert.Equal([1, 2], decoded.Topics[0].Partitions[0].Replicas);
        Assert.Equal([1], decoded.Topics[0].Partitions[0].InSyncReplicas);
        Assert.Equal(-1, decoded.Topics[0].Partitions[1].Leader);
        Assert.Empty(decoded.Topics[1].Partitions);
    }

    [Fact]
    public void Group_and_offset_parts_round_trip_with_unknown_member_counts()
    {
        var groups = new GroupsPart([new ConsumerGroupInfo("g1", "Stable", 3), new ConsumerGroupInfo("g,2", "Empty", null)]);
        CommittedOffset[] commits = [new("a", 0, 10), new("b", 3, 1L << 40), new("a", 1, 0)];
        var offsets = new GroupOffsetsPart([GroupOffsets.From("g1", commits), GroupOffsets.From("g,2", [])]);

        Assert.Equal(groups.Groups, Assert.IsType<GroupsPart>(RoundTrip(groups)).Groups);
        var decoded = Assert.IsType<GroupOffsetsPart>(RoundTrip(offsets)).Groups;
        Assert.Equal(["a", "a", "b"], decoded[0].Offsets.Select(o => o.Topic)); // each topic's partitions together
        Assert.Equal(commits.OrderBy(o => (o.Topic, o.Partition)), decoded[0].Offsets.OrderBy(o => (o.Topic, o.Partition)));
        Assert.Empty(decoded[1].Offsets);
    }

    [Fact]
    public void Watermarks_keep_a_missing_side_missing()
    {
        var table = new WatermarkTable();
        table.SetEarliest("a", 0, 0);
        table.SetLatest("a", 0, 100);
        table.SetLatest("a", 1, 5);
        table.SetEarliest("b", 0, 7);

        var decoded = Assert.IsType<WatermarksPart>(RoundTrip(new WatermarksPart(table))).Watermarks;

        Assert.Equal(3, decoded.Count);
        Assert.Equal(new Watermarks(0, 0, 100), decoded.Get("a", 0));
        Assert.Equal(new Watermarks(1, null, 5), decoded.Get("a", 1));
        Assert.Equal(new Watermarks(0, 7, null), decoded.Get("b", 0));
        Assert.Equal(new Watermarks(9, null, null), decoded.Get("b", 9));
    }

    [Fact]
    public void Control_messages_round_trip()
    {
        Assert.Equal(new WorkerReady(), RoundTrip(new WorkerReady()));
        Assert.Equal(new WorkerFatal("bad \"sasl\"", IsConfigurationError: true), RoundTrip(new WorkerFatal("bad \"sasl\"", IsConfigurationError: true)));
        Assert.Equal(new GatherFailure(new GatherError("watermarks", "broker 2: timed out")),
            RoundTrip(new GatherFailure(new GatherError("watermarks", "broker 2: timed out"))));
        Assert.Equal(new GatherDone(42), RoundTrip(new GatherDone(42)));
        Assert.Equal(new GatherDone(43, ReplaceWorker: true), RoundTrip(new GatherDone(43, ReplaceWorker: true)));
    }

    [Fact]
    public void Data_parts_and_control_messages_are_distinct_kinds()
    {
        Assert.IsNotAssignableFrom<GatherPart>(RoundTrip(new GatherDone(1)));
        Assert.IsNotAssignableFrom<GatherPart>(RoundTrip(new GatherFailure(new GatherError("s", "m"))));
        Assert.IsAssignableFrom<ControlMessage>(RoundTrip(new GatherFailure(new GatherError("s", "m"))));
        Assert.StartsWith("{\"kind\":\"done\"", Json(new GatherDone(1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"kind\":\"no-such-kind\"}")]
    [InlineData("{\"kind\":\"done\",\"gatherId\":\"seven\"}")]
    [InlineData("{\"kind\":\"metadata\",\"metadata\":null}")]
    [InlineData("{\"kind\":\"metadata\",\"metadata\":{\"brokers\":[],\"topics\":[{\"n\":\"t\",\"p\":[[0,1]]}]}}")] // no replicas
    [InlineData("{\"kind\":\"metadata\",\"metadata\":{\"brokers\":[],\"topics\":[{\"n\":\"t\",\"p\":[[0,1,[1],[1],[2]]]}]}}")] // a fifth element
    [InlineData("{\"kind\":\"metadata\",\"metadata\":{\"brokers\":[],\"topics\":[{\"n\":\"t\",\"p\":[{\"i\":0}]}]}}")] // version 1's object
    [InlineData("{\"kind\":\"watermarks\",\"watermarks\":[2,\"t\",0,1,2]}")] // fewer partitions than counted
    [InlineData("{\"kind\":\"watermarks\",\"watermarks\":[1,0,1,2]}")] // a partition before its topic
    [InlineData("{\"kind\":\"watermarks\",\"watermarks\":[1,\"t\",0,1]}")] // a side missing
    [InlineData("{\"kind\":\"watermarks\",\"watermarks\":[-1]}")]
    [InlineData("{\"kind\":\"offsets\",\"groups\":[[\"g\",0,5]]}")] // a partition before its topic
    [InlineData("{\"kind\":\"offsets\",\"groups\":[[\"g\",\"t\",0]]}")] // a partition without its offset
    [InlineData("{\"kind\":\"offsets\",\"groups\":[[\"g\",\"t\",0,null]]}")]
    [InlineData("null")]
    public void A_frame_that_is_not_a_message_is_reported_as_invalid_data(string frame)
    {
        Assert.Throws<InvalidDataException>(() => MessageCodec.ReadWorkerMessage(Encoding.UTF8.GetBytes(frame)));
    }

    [Fact]
    public void Partitions_watermarks_and_offsets_travel_as_positional_arrays_with_each_topic_named_once()
    {
        var metadata = new ClusterMetadata([], [new TopicInfo("t", [new PartitionInfo(0, 1, [1, 2], [1, 2]), new PartitionInfo(1, 2, [2, 1], [2])])]);
        var table = new WatermarkTable();
        table.SetLatest("t", 0, 100);
        table.SetEarliest("t", 0, 5);
        table.SetEarliest("t", 1, 7);
        table.SetLatest("u", 0, 9);

        Assert.Contains("\"p\":[[0,1,[1,2]],[1,2,[2,1],[2]]]", Json(new MetadataPart(metadata)), StringComparison.Ordinal);
        Assert.Equal("{\"kind\":\"watermarks\",\"watermarks\":[3,\"t\",0,5,100,1,7,null,\"u\",0,null,9]}", Json(new WatermarksPart(table)));
        Assert.Equal("{\"kind\":\"offsets\",\"groups\":[[\"g\",\"t\",0,10,1,11,\"u\",3,12]]}",
            Json(new GroupOffsetsPart([GroupOffsets.From("g", [new("t", 0, 10), new("u", 3, 12), new("t", 1, 11)])])));
    }

    [Fact]
    public void An_in_sync_set_equal_to_the_replicas_decodes_equal_and_a_smaller_one_stays_smaller()
    {
        var metadata = new ClusterMetadata([], [new TopicInfo("t", [new PartitionInfo(0, 1, [1, 2, 3], [1, 2, 3]), new PartitionInfo(1, 2, [2, 3, 1], [2, 1])])]);

        var partitions = Assert.IsType<MetadataPart>(RoundTrip(new MetadataPart(metadata))).Metadata.Topics[0].Partitions;

        Assert.Equal([1, 2, 3], partitions[0].InSyncReplicas);
        Assert.Equal([2, 3, 1], partitions[1].Replicas);
        Assert.Equal([2, 1], partitions[1].InSyncReplicas);
    }

    [Fact]
    public void Offsets_of_a_topic_given_apart_are_kept_together_in_the_order_topics_first_appear()
    {
        CommittedOffset[] interleaved = [new("b", 0, 1), new("a", 0, 2), new("b", 1, 3), new("a", 1, 4)];

        Assert.Equal([new("b", 0, 1), new("b", 1, 3), new("a", 0, 2), new("a", 1, 4)], GroupOffsets.From("g", interleaved).Offsets);
        Assert.Equal(interleaved[..2], GroupOffsets.From("g", interleaved[..2]).Offsets);
    }

    /// <summary>Names from every part of Unicode that a UTF-8 Kafka string can hold, JSON's own syntax included.</summary>
    private static readonly Gen<string> Name = Gen.Frequency(
            (6, Gen.Char['a', 'z'].Select(c => c.ToString())),
            (2, Gen.OneOf(",", "=", " ", "\"", "\\", "{", "}", "[", "]", ":", "<", "&", "'", "-", ".", "_")),
            (1, Gen.OneOf("\n", "\r", "\t", "\0", "\u007f", "\u0085", "\u2028", "\uFEFF")),
            (1, Gen.OneOf("é", "€", "中", "😀", "𝄞")))
        .Array[0, 8]
        .Select(pieces => string.Concat(pieces));

    private static readonly Gen<long?> Offset = Gen.Frequency((4, Gen.Long[0, long.MaxValue].Select(o => (long?)o)), (1, Gen.Const((long?)null)));

    private static readonly Gen<WorkerMessage> AnyWorkerMessage = Gen.OneOf<WorkerMessage>(
        Gen.Const<WorkerMessage>(new WorkerReady()),
        Gen.Select(Name, Gen.Bool, (m, c) => (WorkerMessage)new WorkerFatal(m, c)),
        Gen.Select(Name, Name, (s, m) => (WorkerMessage)new GatherFailure(new GatherError(s, m))),
        Gen.Select(Gen.Int, Gen.Bool, (id, replace) => (WorkerMessage)new GatherDone(id, replace)),
        Gen.Select(
            Gen.Select(Gen.Int, Name, Gen.Int[0, 65535], (id, host, port) => new BrokerInfo(id, host, port)).Array[0, 4],
            Gen.Select(Name, Gen.Select(Gen.Int[0, 1000], Gen.Int[-1, 5], Gen.Int[0, 5].Array[0, 4], Gen.Int[0, 5].Array[0, 4],
                (id, leader, replicas, isr) => new PartitionInfo(id, leader, replicas, isr)).Array[0, 5],
                (name, partitions) => new TopicInfo(name, partitions)).Array[0, 4],
            (brokers, topics) => (WorkerMessage)new MetadataPart(new ClusterMetadata(brokers, topics))),
        Gen.Select(Name, Name, Gen.Int[0, 100].Nullable(), (id, state, members) => new ConsumerGroupInfo(id, state, members)).Array[0, 5]
            .Select(groups => (WorkerMessage)new GroupsPart(groups)),
        Gen.Select(Name, Gen.Select(Name, Gen.Int[0, 1000], Gen.Long[0, long.MaxValue], (t, p, o) => new CommittedOffset(t, p, o)).Array[0, 8],
                (id, commits) => GroupOffsets.From(id, commits)).Array[0, 4]
            .Select(groups => (WorkerMessage)new GroupOffsetsPart(groups)),
        Gen.Select(Name, Gen.Int[0, 50], Offset, Offset).Array[0, 12].Select(partitions =>
        {
            var table = new WatermarkTable();
            foreach (var (topic, partition, earliest, latest) in partitions)
            {
                if (earliest is { } e)
                {
                    table.SetEarliest(topic, partition, e);
                }
                if (latest is { } l)
                {
                    table.SetLatest(topic, partition, l);
                }
            }
            return (WorkerMessage)new WatermarksPart(table);
        }));

    [Fact]
    public void Every_worker_message_round_trips_field_for_field()
    {
        AnyWorkerMessage.Sample(message => Assert.Equal(Describe(message), Describe(RoundTrip(message))));
    }

    [Fact]
    public void Every_gather_request_round_trips_field_for_field()
    {
        var selection = Gen.OneOf(
            Gen.Const(OffsetGroupSelection.All),
            Gen.Const(OffsetGroupSelection.Nothing),
            Name.Array[0, 5].Select(ids => (OffsetGroupSelection)new OffsetGroupSelection.These(ids)));
        Gen.Select(Gen.Int, Gen.Long[0, TimeSpan.FromDays(1).Ticks], Gen.Bool, Gen.Bool, selection, Gen.Bool, Name.Array[0, 5])
            .Sample((id, ticks, metadata, groups, offsets, watermarks, known) =>
            {
                var request = new GatherRequest(id, TimeSpan.FromTicks(ticks), metadata, groups, offsets, watermarks, known);
                var decoded = Assert.IsType<GatherRequest>(RoundTrip(request));
                Assert.Equal(request with { OffsetGroups = OffsetGroupSelection.All, KnownGroups = [] }, decoded with { OffsetGroups = OffsetGroupSelection.All, KnownGroups = [] });
                Assert.Equal(known, decoded.KnownGroups);
                Assert.Equal(offsets.GetType(), decoded.OffsetGroups.GetType());
                Assert.Equal(offsets.Resolve(["listed"]), decoded.OffsetGroups.Resolve(["listed"]));
            });
    }

    /// <summary>Every field of a message as text, written independently of the codec so that a field the codec drops shows.</summary>
    private static string Describe(WorkerMessage message) => message switch
    {
        MetadataPart p => "metadata " + string.Join(";", p.Metadata.Brokers) + " | " + string.Join(";", p.Metadata.Topics.Select(t =>
            $"{Quote(t.Name)}:" + string.Join(",", t.Partitions.Select(x => $"{x.Id}/{x.Leader}/{string.Join(".", x.Replicas)}/{string.Join(".", x.InSyncReplicas)}")))),
        GroupsPart p => "groups " + string.Join(";", p.Groups.Select(g => $"{Quote(g.GroupId)} {Quote(g.State)} {g.MemberCount?.ToString(CultureInfo.InvariantCulture) ?? "?"} {g.CommittedOffsets is null}")),
        GroupOffsetsPart p => "offsets " + string.Join(";", p.Groups.Select(g => Quote(g.GroupId) + "=" + string.Join(",", g.Offsets.Select(o => $"{Quote(o.Topic)}/{o.Partition}/{o.Offset}")))),
        WatermarksPart p => "watermarks " + string.Join(";", p.Watermarks.Entries.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition)
            .Select(e => $"{Quote(e.Key.Topic)}/{e.Key.Partition}={e.Value}")),
        _ => message.ToString(),
    };

    private static string Quote(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    private static WorkerMessage RoundTrip(WorkerMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessageCodec.Write(buffer, message);
        return MessageCodec.ReadWorkerMessage(buffer.WrittenSpan);
    }

    private static ParentMessage RoundTrip(ParentMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessageCodec.Write(buffer, message);
        return MessageCodec.ReadParentMessage(buffer.WrittenSpan);
    }

    private static string Json(WorkerMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessageCodec.Write(buffer, message);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
