using KafkaExecdInput.Configuration;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.Worker;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.Worker;

public class MessageCodecTests
{
    [Fact]
    public void Start_message_carries_every_setting_including_secrets_unchanged()
    {
        var settings = new ReaderSettings(
            new Dictionary<string, string> { ["bootstrap.servers"] = "a:9092,b:9092", ["sasl.password"] = "p@ss wörd\n" },
            NameFilter.FromPatterns(["^orders", "pay"], ["-dlq$"]),
            NameFilter.FromPatterns([], ["^_"]),
            TimeSpan.FromMilliseconds(4321),
            17,
            "eyJhbGciOi.token",
            LogLevel.Debug);

        var decoded = MessageCodec.DecodeStart(BodyOf(MessageCodec.EncodeStart(settings), MessageKind.Start));

        Assert.Equal(settings.ClientProperties, decoded.ClientProperties);
        Assert.Equal(settings.Topics, decoded.Topics);
        Assert.Equal(settings.Groups, decoded.Groups);
        Assert.Equal(settings.RequestTimeout, decoded.RequestTimeout);
        Assert.Equal(17, decoded.MaxConcurrentRequests);
        Assert.Equal("eyJhbGciOi.token", decoded.StaticOAuthToken);
        Assert.Equal(LogLevel.Debug, decoded.LogLevel);
    }

    [Fact]
    public void Gather_request_round_trips_with_and_without_a_group_list()
    {
        var everything = GatherRequest.Everything(7, TimeSpan.FromSeconds(9), ["known-1", "known 2"]);
        var resume = new GatherRequest(8, TimeSpan.FromSeconds(2), false, false, ["g1", "g 2"], true, []);

        var decodedEverything = MessageCodec.DecodeGather(BodyOf(MessageCodec.EncodeGather(everything), MessageKind.Gather));
        Assert.Null(decodedEverything.OffsetGroups);
        Assert.Equal(["known-1", "known 2"], decodedEverything.KnownGroups);
        Assert.Equal(everything with { KnownGroups = [] }, decodedEverything with { KnownGroups = [] });

        var decodedResume = MessageCodec.DecodeGather(BodyOf(MessageCodec.EncodeGather(resume), MessageKind.Gather));
        Assert.Equal(["g1", "g 2"], decodedResume.OffsetGroups);
        Assert.Empty(decodedResume.KnownGroups);
        Assert.Equal(resume with { OffsetGroups = null, KnownGroups = [] }, decodedResume with { OffsetGroups = null, KnownGroups = [] });
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
        var groups = new GroupsPart([new GroupListing("g1", "Stable", 3), new GroupListing("g,2", "Empty", null)]);
        var offsets = new GroupOffsetsPart(
        [
            new GroupOffsets("g1", [new CommittedOffset("a", 0, 10), new CommittedOffset("b", 3, 1L << 40), new CommittedOffset("a", 1, 0)]),
            new GroupOffsets("g,2", []),
        ]);

        Assert.Equal(groups.Groups, Assert.IsType<GroupsPart>(RoundTrip(groups)).Groups);
        var decoded = Assert.IsType<GroupOffsetsPart>(RoundTrip(offsets)).Groups;
        Assert.Equal(offsets.Groups[0].Offsets.OrderBy(o => (o.Topic, o.Partition)), decoded[0].Offsets.OrderBy(o => (o.Topic, o.Partition)));
        Assert.Empty(decoded[1].Offsets);
    }

    [Fact]
    public void Watermarks_keep_a_missing_side_missing()
    {
        var part = new WatermarksPart(
        [
            new PartitionWatermarks("a", 0, 0, 100),
            new PartitionWatermarks("a", 1, null, 5),
            new PartitionWatermarks("b", 0, 7, null),
        ]);

        Assert.Equal(part.Partitions, Assert.IsType<WatermarksPart>(RoundTrip(part)).Partitions);
    }

    [Fact]
    public void Error_and_done_parts_round_trip()
    {
        Assert.Equal(new ErrorPart(new GatherError("watermarks", "broker 2: timed out")),
            RoundTrip(new ErrorPart(new GatherError("watermarks", "broker 2: timed out"))));
        Assert.Equal(new GatherDonePart(42), RoundTrip(new GatherDonePart(42)));
        Assert.Equal(new GatherDonePart(43, ReplaceWorker: true), RoundTrip(new GatherDonePart(43, ReplaceWorker: true)));
    }

    private static GatherPart RoundTrip(GatherPart part)
    {
        var frame = MessageCodec.EncodePart(part);
        return MessageCodec.DecodePart((MessageKind)frame[0], new BinaryReader(new MemoryStream(frame, 1, frame.Length - 1)))!;
    }

    private static BinaryReader BodyOf(byte[] frame, MessageKind expected)
    {
        Assert.Equal(expected, (MessageKind)frame[0]);
        return new BinaryReader(new MemoryStream(frame, 1, frame.Length - 1));
    }

}
