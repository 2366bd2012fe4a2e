using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.UnitTests.Metrics;

public sealed class ConsumerGroupStateFamilyTests
{
    private readonly RecordingLogger _logger = new();

    private IReadOnlyList<ParsedLine> Lines(ClusterSnapshot snapshot)
    {
        using var writer = new LineProtocolWriter();
        new MetricBuilder(_logger).Write(snapshot, new GatherSummary(TimeSpan.Zero, 0), 1, writer);
        return StrictLineParser.ParseAll(writer.WrittenSpan);
    }

    private static IEnumerable<ParsedLine> StateLines(IEnumerable<ParsedLine> lines) =>
        lines.Where(l => l.Measurement == "kafka_consumergroup_state");

    [Theory]
    [InlineData("Unknown", 0L, "Unknown")]
    [InlineData("PreparingRebalance", 1L, "PreparingRebalance")]
    [InlineData("CompletingRebalance", 2L, "CompletingRebalance")]
    [InlineData("AwaitingSync", 2L, "CompletingRebalance")]
    [InlineData("Stable", 3L, "Stable")]
    [InlineData("Dead", 4L, "Dead")]
    [InlineData("Empty", 5L, "Empty")]
    [InlineData("Assigning", 6L, "Assigning")]
    [InlineData("Reconciling", 7L, "Reconciling")]
    [InlineData("SomethingNew", 0L, "SomethingNew")]
    public void A_described_group_gets_its_state_code_and_one_info_series_named_by_state(string state, long code, string name)
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Group("g", 2).InState(state).Build();

        ParsedLine[] lines = [.. StateLines(Lines(snapshot))];

        Assert.Equal(2, lines.Length);
        Assert.Equal([new("consumergroup", "g")], lines[0].Tags);
        Assert.Equal([new("code", (object)code)], lines[0].Fields);
        Assert.Equal([new("consumergroup", "g"), new("state", name)], lines[1].Tags);
        Assert.Equal([new("info", (object)1L)], lines[1].Fields);
    }

    [Theory]
    [InlineData("Unknown")]
    [InlineData("Stable")]
    public void A_group_that_could_not_be_described_has_no_state_lines(string placeholder)
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Group("undescribed", null).InState(placeholder).Group("ok", 1).Build();

        Assert.Equal(["ok", "ok"], StateLines(Lines(snapshot)).Select(l => l.Tag("consumergroup")));
    }

    [Fact]
    public void A_group_with_no_state_name_has_no_state_lines()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Group("g", 1).InState("").Build();

        Assert.Empty(StateLines(Lines(snapshot)));
    }

    [Fact]
    public void A_state_name_that_cannot_be_a_tag_keeps_the_code_and_loses_the_info_series_with_one_warning()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Group("g", 1).InState("odd\nstate").Build();

        ParsedLine line = Assert.Single(StateLines(Lines(snapshot)));
        Assert.Equal(0L, line.Field("code"));
        Assert.Contains("consumer group state", Assert.Single(_logger.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_leaves_the_kafka_consumergroup_lines_and_their_labels_as_they_were()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic("t", SnapshotBuilder.Healthy(0)).Offsets("t", 0, 0, 10)
            .Group("g", 3, SnapshotBuilder.Commit("t", 0, 4)).InState("PreparingRebalance")
            .Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.All(lines.Where(l => l.Measurement == "kafka_consumergroup"), l => Assert.Null(l.Tag("state")));
        ParsedLine members = Assert.Single(lines, l => l.Measurement == "kafka_consumergroup" && l.Tags.Count == 1);
        Assert.Equal([new("members", (object)3L)], members.Fields);
    }
}
