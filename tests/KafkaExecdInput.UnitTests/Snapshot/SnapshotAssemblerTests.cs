using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Snapshot;

public class SnapshotAssemblerTests
{
    private static readonly ClusterMetadata Metadata = new(
        [new BrokerInfo(1, "k1", 9092)],
        [new TopicInfo("t", [new PartitionInfo(0, 1, [1], [1])])]);

    [Fact]
    public void First_request_asks_for_everything()
    {
        var request = new SnapshotAssembler().NextRequest(1, TimeSpan.FromSeconds(5), lastAttempt: false, ["old"]);

        Assert.True(request.WantMetadata);
        Assert.True(request.WantGroups);
        Assert.Equal(OffsetGroupSelection.All, request.OffsetGroups);
        Assert.True(request.WantWatermarks);
        Assert.Equal(["old"], request.KnownGroups);
    }

    [Fact]
    public void After_a_crash_while_fetching_offsets_only_the_missing_groups_and_watermarks_are_asked_for()
    {
        var assembler = new SnapshotAssembler();
        assembler.Add(new MetadataPart(Metadata));
        assembler.Add(new GroupsPart([new ConsumerGroupInfo("a", "Stable", 1), new ConsumerGroupInfo("b", "Empty", 0), new ConsumerGroupInfo("c", "Stable", 2)]));
        assembler.Add(new GroupOffsetsPart([GroupOffsets.From("b", [new CommittedOffset("t", 0, 5)])]));

        var request = assembler.NextRequest(2, TimeSpan.FromSeconds(3), lastAttempt: false, []);

        Assert.False(request.WantMetadata);
        Assert.False(request.WantGroups);
        Assert.Equal(["a", "c"], Assert.IsType<OffsetGroupSelection.These>(request.OffsetGroups).GroupIds);
        Assert.True(request.WantWatermarks);
        Assert.Equal("fetching committed offsets", assembler.CurrentPhase);
        Assert.Empty(assembler.Build().Errors);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_resume_tells_a_shard_the_commits_already_held_and_an_unsharded_worker_nothing(bool sharded)
    {
        var assembler = new SnapshotAssembler();
        assembler.Add(new MetadataPart(Metadata));
        assembler.Add(new GroupsPart([new ConsumerGroupInfo("a", "Stable", 1), new ConsumerGroupInfo("b", "Empty", 0)]));
        assembler.Add(new GroupOffsetsPart([GroupOffsets.From("b", [new CommittedOffset("t", 0, 5)])]));

        var request = assembler.NextRequest(2, TimeSpan.FromSeconds(3), lastAttempt: false, [], sharded: sharded);

        // Only a shard's worker reads these (its groups' partitions outside its share); for any other it is dead weight.
        if (sharded)
        {
            Assert.Equal([new CommittedOffset("t", 0, 5)], request.CommittedAlready);
        }
        else
        {
            Assert.Null(request.CommittedAlready);
        }
    }

    [Fact]
    public void The_last_attempt_gives_up_committed_offsets_and_says_so()
    {
        var assembler = new SnapshotAssembler();
        assembler.Add(new MetadataPart(Metadata));
        assembler.Add(new GroupsPart([new ConsumerGroupInfo("a", "Stable", 1), new ConsumerGroupInfo("b", "Stable", 1)]));

        var request = assembler.NextRequest(3, TimeSpan.FromSeconds(3), lastAttempt: true, []);

        Assert.Equal(OffsetGroupSelection.Nothing, request.OffsetGroups);
        Assert.True(request.WantWatermarks);
        var error = Assert.Single(assembler.Build().Errors);
        Assert.Contains("2 groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_joins_groups_with_their_offsets_and_marks_unfetched_ones_null()
    {
        var assembler = new SnapshotAssembler();
        assembler.Add(new GroupsPart([new ConsumerGroupInfo("a", "Stable", 1), new ConsumerGroupInfo("b", "Dead", null)]));
        assembler.Add(new GroupOffsetsPart([GroupOffsets.From("a", [new CommittedOffset("t", 0, 5)])]));
        var watermarks = new WatermarkTable();
        watermarks.SetEarliest("t", 0, 1);
        watermarks.SetLatest("t", 0, 9);
        watermarks.SetLatest("t", 1, 4);
        assembler.Add(new WatermarksPart(watermarks));
        assembler.AddError(new GatherError("offsets", "group \"b\": boom"));

        var snapshot = assembler.Build();

        Assert.Null(snapshot.Metadata);
        Assert.Equal([new CommittedOffset("t", 0, 5)], snapshot.Groups![0].CommittedOffsets);
        Assert.Null(snapshot.Groups[1].CommittedOffsets);
        Assert.Null(snapshot.Groups[1].MemberCount);
        Assert.Equal(new Watermarks(0, 1, 9), snapshot.Watermarks!.Get("t", 0));
        Assert.Equal(new Watermarks(1, null, 4), snapshot.Watermarks.Get("t", 1));
        Assert.True(snapshot.IsPartial);
    }

    [Fact]
    public void The_last_attempt_with_every_offset_read_still_asks_for_none_and_reports_nothing()
    {
        var assembler = new SnapshotAssembler();
        assembler.Add(new GroupsPart([new ConsumerGroupInfo("a", "Stable", 1)]));
        assembler.Add(new GroupOffsetsPart([GroupOffsets.From("a", [])]));

        var request = assembler.NextRequest(4, TimeSpan.FromSeconds(3), lastAttempt: true, []);

        Assert.Empty(Assert.IsType<OffsetGroupSelection.These>(request.OffsetGroups).GroupIds);
        Assert.Empty(assembler.Build().Errors);
    }

    [Fact]
    public void A_second_watermarks_part_fills_in_what_the_first_lacked()
    {
        var assembler = new SnapshotAssembler();
        var first = new WatermarkTable();
        first.SetLatest("t", 0, 9);
        var second = new WatermarkTable();
        second.SetEarliest("t", 0, 2);
        second.SetLatest("t", 1, 4);

        assembler.Add(new WatermarksPart(first));
        assembler.Add(new WatermarksPart(second));

        var table = assembler.Build().Watermarks!;
        Assert.Equal(new Watermarks(0, 2, 9), table.Get("t", 0));
        Assert.Equal(new Watermarks(1, null, 4), table.Get("t", 1));
    }
}
