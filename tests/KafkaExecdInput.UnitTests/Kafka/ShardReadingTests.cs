using Confluent.Kafka;
using KafkaExecdInput.Sharding;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>
/// A broker shard in the worker (README, Sharding): only its groups' offsets are fetched, only its
/// partitions and its groups' partitions are asked for offsets, and a commit that arrives after the
/// watermarks started still gets its latest offset, read after it.
/// </summary>
public class ShardReadingTests
{
    private static readonly BrokerMetadata One = new(1, "broker-1", 9092);

    private static readonly BrokerMetadata Two = new(2, "broker-2", 9092);

    [Fact]
    public async Task A_late_commit_on_another_shards_partition_gets_its_offsets_in_a_second_pass_after_it()
    {
        var h = new ReaderHarness(shard: new Shard.ByBroker(1));
        var budget = TimeSpan.FromSeconds(20);
        var watermarksStart = budget - h.Settings.AdminCallTimeout;
        var committed = new TaskCompletionSource<List<TopicPartitionOffsetError>>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Admin.OnGetMetadata = _ => new Metadata([One, Two], [Topic("mine", leader: 1), Topic("theirs", leader: 2), Topic("unread", leader: 2)], 1, "broker-1");
        h.Admin.OnListGroups = _ => [Listed(One, "slow"), Listed(Two, "elsewhere")];
        h.Admin.OnListConsumerGroupOffsets = _ => committed.Task;

        var gather = h.GatherAsync(ReaderHarness.Everything(budget));
        await h.Admin.WaitForCallsAsync(AdminApi.ListConsumerGroupOffsets, 1);
        await h.Time.WaitForTimersAsync(ReaderHarness.FanOutDeadlineTimer + 1); // the offsets' fan-out, then the reserve
        h.Time.Advance(watermarksStart);
        await h.Admin.WaitForCallsAsync(AdminApi.ListOffsets, 2);
        Assert.All(h.Admin.CallsTo(AdminApi.ListOffsets), call => Assert.Equal(["mine/0"], call.Items));

        committed.SetResult([Cluster.Committed("theirs", 0, 5)]);
        await gather;

        // The group of broker 2 is not fetched; the second pass reads only the late commit's partition.
        Assert.Equal(["slow"], h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets).SelectMany(c => c.Items));
        var calls = h.Admin.CallsTo(AdminApi.ListOffsets);
        Assert.Equal(4, calls.Count);
        Assert.All(calls.Skip(2), call => Assert.Equal(["theirs/0"], call.Items));
        Assert.Equal(["slow"], h.Sink.Parts.OfType<GroupsPart>().Single().Groups.Select(g => g.GroupId));
        var latest = h.Sink.Parts.OfType<WatermarksPart>().SelectMany(p => p.Watermarks.Entries).ToDictionary(e => e.Key, e => e.Value.Latest);
        Assert.Equal(new Dictionary<(string, int), long?> { [("mine", 0)] = 10, [("theirs", 0)] = 10 }, latest);
        Assert.Empty(h.Sink.Errors);
    }

    private static TopicMetadata Topic(string name, int leader) =>
        new(name, [new PartitionMetadata(0, leader, [leader], [leader], new Error(ErrorCode.NoError))], new Error(ErrorCode.NoError));

    private static GroupInfo Listed(BrokerMetadata coordinator, string group) =>
        new(coordinator, group, new Error(ErrorCode.NoError), "Stable", "consumer", "range", []);
}
