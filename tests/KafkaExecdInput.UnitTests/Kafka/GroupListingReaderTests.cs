using Confluent.Kafka;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>The classic group listing and what is done about what it loses (Kafka/README.md, crash facts).</summary>
public class GroupListingReaderTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Known_groups_the_listing_missed_are_described_one_by_one()
    {
        var h = new ReaderHarness();
        h.Admin.OnListGroups = _ => [Cluster.Listed("a"), Cluster.Listed("b")];
        h.Admin.OnDescribeConsumerGroups = ids => Task.FromResult(Cluster.Described(Cluster.Stable("c", members: 3)));

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget, "a", "b", "c"));

        Assert.Equal(["c"], h.Admin.CallsTo(AdminApi.DescribeConsumerGroups).Single().Items);
        Assert.Equal(
            [new ConsumerGroupInfo("a", "Stable", 1), new ConsumerGroupInfo("b", "Stable", 1), new ConsumerGroupInfo("c", "Stable", 3)],
            h.Sink.Parts.OfType<GroupsPart>().Single().Groups);
        Assert.Equal(["a", "b", "c"], h.Admin.CallsTo(AdminApi.ListConsumerGroupOffsets).SelectMany(c => c.Items).Order());
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal(new GatherError("groups",
            "the group listing missed 1 existing groups (a broker's ListGroups failed); they were described one by one, new groups on that broker are missing"), error);
    }

    [Fact]
    public async Task Groups_the_classic_listing_calls_dead_are_described_again_in_batches_and_classic_ones_are_not()
    {
        // Kafka 4 answers DescribeGroups for a KIP-848 consumer-type group with "Dead", no protocol and no members.
        var h = new ReaderHarness();
        var classic = Enumerable.Range(0, 5_000).Select(i => Cluster.Listed($"classic-{i:D4}"));
        var consumer = Enumerable.Range(0, GroupListingReader.DescribeBatchSize + 1)
            .Select(i => new GroupInfo(Cluster.Broker, $"consumer-{i:D3}", new Error(ErrorCode.NoError), "Dead", "", "", []));
        h.Admin.OnListGroups = _ => [.. classic, .. consumer];
        h.Admin.OnDescribeConsumerGroups = ids => Task.FromResult(Cluster.Described([.. ids.Select(id => Cluster.Stable(id, members: 2))]));

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget));

        var describes = h.Admin.CallsTo(AdminApi.DescribeConsumerGroups);
        Assert.Equal([GroupListingReader.DescribeBatchSize, 1], describes.Select(c => c.Items.Count).Order().Reverse());
        Assert.All(describes.SelectMany(c => c.Items), id => Assert.StartsWith("consumer-", id, StringComparison.Ordinal));
        var groups = h.Sink.Parts.OfType<GroupsPart>().Single().Groups;
        Assert.Equal(5_000 + GroupListingReader.DescribeBatchSize + 1, groups.Count);
        Assert.All(groups.Where(g => g.GroupId.StartsWith("consumer-", StringComparison.Ordinal)), g => Assert.Equal(("Stable", 2), (g.State, g.MemberCount)));
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task A_listing_that_failed_slowly_is_not_asked_again_and_the_known_groups_are_described()
    {
        var h = new ReaderHarness();
        h.Admin.OnListGroups = timeout =>
        {
            h.Time.Advance(timeout);
            throw new KafkaException(ErrorCode.Local_TimedOut);
        };

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget, "a", "b"));

        Assert.Single(h.Admin.CallsTo(AdminApi.ListGroups));
        // One group per call: a coordinator that does not answer holds back only its own groups.
        Assert.Equal(["a", "b"], h.Admin.CallsTo(AdminApi.DescribeConsumerGroups).Select(c => Assert.Single(c.Items)).Order());
        Assert.Equal(["a", "b"], h.Sink.Parts.OfType<GroupsPart>().Single().Groups.Select(g => g.GroupId));
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("groups", error.Source);
        Assert.StartsWith("listing consumer groups failed (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("); 2 groups known from earlier gathers were described one by one, new groups are missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listing_that_fails_fast_is_asked_again_up_to_ListGroupsAttempts()
    {
        var h = new ReaderHarness();
        h.Admin.OnListGroups = _ => throw new KafkaException(ErrorCode.Local_Transport);

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget));

        Assert.Equal(GroupListingReader.ListGroupsAttempts, h.Admin.CallsTo(AdminApi.ListGroups).Count);
        var error = Assert.Single(h.Sink.Errors);
        Assert.StartsWith("listing consumer groups failed: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Sink.Parts.OfType<GroupsPart>().Single().Groups);
    }

    [Fact]
    public async Task A_listing_that_fails_fast_once_and_then_answers_reports_nothing()
    {
        var h = new ReaderHarness();
        var attempts = 0;
        h.Admin.OnListGroups = _ => ++attempts == 1 ? throw new KafkaException(ErrorCode.Local_Transport) : [Cluster.Listed("a")];

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget));

        Assert.Equal(2, attempts);
        Assert.Equal(["a"], h.Sink.Parts.OfType<GroupsPart>().Single().Groups.Select(g => g.GroupId));
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task Listed_groups_that_could_not_be_described_are_described_again_and_deleted_ones_dropped()
    {
        var h = new ReaderHarness();
        h.Admin.OnListGroups = _ => [Cluster.Listed("a", members: 2), Cluster.ListedUndescribed("loading"), Cluster.ListedUndescribed("deleted")];
        h.Admin.OnDescribeConsumerGroups = _ => Task.FromResult(Cluster.Described(Cluster.Stable("loading", members: 3), Cluster.NotFound("deleted")));

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget));

        Assert.Equal(["loading", "deleted"], h.Admin.CallsTo(AdminApi.DescribeConsumerGroups).Single().Items);
        Assert.Equal(
            [new ConsumerGroupInfo("a", "Stable", 2), new ConsumerGroupInfo("loading", "Stable", 3)],
            h.Sink.Parts.OfType<GroupsPart>().Single().Groups);
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task A_group_whose_description_fails_again_is_kept_with_an_unknown_member_count()
    {
        var h = new ReaderHarness();
        h.Admin.OnListGroups = _ => [Cluster.ListedUndescribed("moving")];
        h.Admin.OnDescribeConsumerGroups = _ => throw new KafkaException(ErrorCode.Local_TimedOut);

        await h.GatherAsync(ReaderHarness.GroupsOnly(Budget));

        Assert.Equal([new ConsumerGroupInfo("moving", "Unknown", null)], h.Sink.Parts.OfType<GroupsPart>().Single().Groups);
        var error = Assert.Single(h.Sink.Errors);
        Assert.StartsWith("group \"moving\": describe: ", error.Message, StringComparison.Ordinal);
        // A coordinator request that timed out leaves a client librdkafka is known to abort later.
        Assert.True(h.Health.CoordinatorRequestTimedOut);
    }
}
