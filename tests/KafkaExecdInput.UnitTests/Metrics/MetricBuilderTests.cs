using System.Text;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using KafkaExecdInput.UnitTests.Support;
using static KafkaExecdInput.UnitTests.Metrics.SnapshotBuilder;

namespace KafkaExecdInput.UnitTests.Metrics;

public sealed class MetricBuilderTests
{
    private const long Ts = 1_700_000_000_000_000_000;

    private static readonly GatherSummary Summary = new(TimeSpan.FromSeconds(1.5), WorkerRestarts: 2);

    /// <summary>
    /// The families these tests were written for: all but the cluster and topic detail families, which
    /// add lines of their own (see <see cref="Maps_a_known_snapshot_to_the_exact_lines"/> and
    /// ClusterTopicFamiliesTests) and change none of these.
    /// </summary>
    private static readonly IReadOnlyList<MetricFamily> V1Families = MetricFamilies.Without(ClusterTopicFamiliesTests.Names);

    private readonly RecordingLogger _logger = new();

    private string Render(ClusterSnapshot snapshot, MetricBuilder? builder = null, GatherSummary? summary = null)
    {
        using var writer = new LineProtocolWriter();
        (builder ?? new MetricBuilder(_logger, V1Families)).Write(snapshot, summary ?? Summary, Ts, writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    private IReadOnlyList<ParsedLine> Lines(ClusterSnapshot snapshot, MetricBuilder? builder = null)
    {
        using var writer = new LineProtocolWriter();
        (builder ?? new MetricBuilder(_logger, V1Families)).Write(snapshot, Summary, Ts, writer);
        return StrictLineParser.ParseAll(writer.WrittenSpan);
    }

    private static ParsedLine Single(IEnumerable<ParsedLine> lines, string measurement, params (string Key, string Value)[] tags) =>
        Assert.Single(lines, l => l.Measurement == measurement
            && l.Tags.Count == tags.Length
            && tags.All(t => l.Tag(t.Key) == t.Value));

    /// <summary>Every v1 field with a value, and every way a value can be missing.</summary>
    private static ClusterSnapshot KnownSnapshot() => new SnapshotBuilder()
        .Broker(2, "b2").Broker(1, "b1")
        .Topic("orders",
            Partition(1, leader: 1, replicas: [2, 1], isr: [2, 1]),
            Partition(0, leader: 1, replicas: [1, 2], isr: [1]))
        .Topic("events", Partition(0, leader: -1, replicas: [1], isr: []))
        .Offsets("orders", 0, earliest: 5, latest: 100)
        .Offsets("orders", 1, earliest: null, latest: 50)
        .Group("svc-b", 2, Commit("orders", 1, 40), Commit("orders", 0, 120))
        .Group("svc-a", null, Commit("events", 0, 7)).InState("Unknown")
        .Group("svc-c", 0, null).InState("Empty")
        .Error("watermarks", "broker 2: Local_TimedOut")
        .Build();

    [Fact]
    public void A_builder_lets_go_of_the_snapshot_it_wrote_so_it_is_not_held_until_the_next_gather()
    {
        var builder = new MetricBuilder(_logger, MetricFamilies.All);
        var written = WriteAndForget(builder);

        // A collection may not finish a weak reference's target the first time on a busy runtime.
        for (var attempt = 0; attempt < 3 && written.IsAlive; attempt++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        Assert.False(written.IsAlive, "the builder still holds the last snapshot it wrote");
    }

    /// <summary>Writes a snapshot and keeps only a weak reference: no local of the test's frame holds it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference WriteAndForget(MetricBuilder builder)
    {
        var snapshot = KnownSnapshot();
        using var writer = new LineProtocolWriter();
        builder.Write(snapshot, Summary, Ts, writer);
        Assert.NotEqual(0, writer.LinesWritten);
        return new WeakReference(snapshot);
    }

    [Fact]
    public void Without_the_group_state_family_a_known_snapshot_maps_to_the_exact_v1_lines()
    {
        // The v1 output, byte for byte as it was before metric families: adding one changed no existing line.
        Assert.Equal(
            """
            kafka brokers=2i 1700000000000000000
            kafka_broker,address=b1:9092,id=1 info=1i 1700000000000000000
            kafka_broker,address=b2:9092,id=2 info=1i 1700000000000000000
            kafka_topic,topic=events partitions=1i 1700000000000000000
            kafka_topic,topic=orders partitions=2i 1700000000000000000
            kafka_topic_partition,partition=0,topic=events leader=-1i,replicas=1i,in_sync_replica=0i,leader_is_preferred=0i,under_replicated_partition=1i 1700000000000000000
            kafka_topic_partition,partition=0,topic=orders current_offset=100i,oldest_offset=5i,leader=1i,replicas=2i,in_sync_replica=1i,leader_is_preferred=1i,under_replicated_partition=1i 1700000000000000000
            kafka_topic_partition,partition=1,topic=orders current_offset=50i,leader=1i,replicas=2i,in_sync_replica=2i,leader_is_preferred=0i,under_replicated_partition=0i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b members=2i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-c members=0i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-a,topic=events current_offset_sum=7i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b,topic=orders current_offset_sum=160i,lag_sum=10i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-a,partition=0,topic=events current_offset=7i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b,partition=0,topic=orders current_offset=120i,lag=0i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b,partition=1,topic=orders current_offset=40i,lag=10i 1700000000000000000
            kafka_collector gather_duration_seconds=1.5,errors=1i,lines=15i,partial=1i,worker_restarts=2i,workers_abandoned=0i 1700000000000000000

            """,
            Render(KnownSnapshot(), new MetricBuilder(_logger, MetricFamilies.Without(["consumergroup_state", .. ClusterTopicFamiliesTests.Names]))));
        Assert.Empty(_logger.Records);
    }

    [Fact]
    public void Maps_a_known_snapshot_to_the_exact_lines()
    {
        // Every family: the v1 lines above unchanged, then the cluster and topic detail lines that the
        // metadata alone gives (no DescribeCluster or topic configs in this snapshot).
        Assert.Equal(
            """
            kafka brokers=2i 1700000000000000000
            kafka_broker,address=b1:9092,id=1 info=1i 1700000000000000000
            kafka_broker,address=b2:9092,id=2 info=1i 1700000000000000000
            kafka_topic,topic=events partitions=1i 1700000000000000000
            kafka_topic,topic=orders partitions=2i 1700000000000000000
            kafka_topic_partition,partition=0,topic=events leader=-1i,replicas=1i,in_sync_replica=0i,leader_is_preferred=0i,under_replicated_partition=1i 1700000000000000000
            kafka_topic_partition,partition=0,topic=orders current_offset=100i,oldest_offset=5i,leader=1i,replicas=2i,in_sync_replica=1i,leader_is_preferred=1i,under_replicated_partition=1i 1700000000000000000
            kafka_topic_partition,partition=1,topic=orders current_offset=50i,leader=1i,replicas=2i,in_sync_replica=2i,leader_is_preferred=0i,under_replicated_partition=0i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b members=2i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-c members=0i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-a,topic=events current_offset_sum=7i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b,topic=orders current_offset_sum=160i,lag_sum=10i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-a,partition=0,topic=events current_offset=7i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b,partition=0,topic=orders current_offset=120i,lag=0i 1700000000000000000
            kafka_consumergroup,consumergroup=svc-b,partition=1,topic=orders current_offset=40i,lag=10i 1700000000000000000
            kafka_consumergroup_state,consumergroup=svc-b code=3i 1700000000000000000
            kafka_consumergroup_state,consumergroup=svc-c code=5i 1700000000000000000
            kafka_consumergroup_state,consumergroup=svc-b,state=Stable info=1i 1700000000000000000
            kafka_consumergroup_state,consumergroup=svc-c,state=Empty info=1i 1700000000000000000
            kafka_cluster topics=2i,partitions=3i,offline_partitions=1i,under_replicated_partitions=2i,non_preferred_leader_partitions=1i 1700000000000000000
            kafka_topic_replication,topic=events factor=1i,offline_partitions=1i 1700000000000000000
            kafka_topic_replication,topic=orders factor=2i,offline_partitions=0i 1700000000000000000
            kafka_collector gather_duration_seconds=1.5,errors=1i,lines=22i,partial=1i,worker_restarts=2i,workers_abandoned=0i 1700000000000000000

            """,
            Render(KnownSnapshot(), new MetricBuilder(_logger)));
        Assert.Empty(_logger.Records);
    }

    [Fact]
    public void Returns_the_number_of_lines_including_the_self_metric()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(EncodedName.Measurement("before"));
        writer.Field(EncodedName.FieldKey("v"), 1L);
        writer.EndLine(1);

        int written = new MetricBuilder(_logger, V1Families).Write(
            new SnapshotBuilder().Broker(1, "b1").Topic("t", Healthy(0)).Build(), Summary, Ts, writer);

        Assert.Equal(5, written);
        Assert.Equal(6, writer.LinesWritten);
        ParsedLine collector = StrictLineParser.ParseAll(writer.WrittenSpan)[^1];
        Assert.Equal(4L, collector.Field("lines"));
    }

    [Fact]
    public void Lag_is_clamped_at_zero_when_the_commit_is_ahead_of_the_watermark()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic("t", Healthy(0), Healthy(1))
            .Offsets("t", 0, 0, 100).Offsets("t", 1, 0, 100)
            .Group("g", 1, Commit("t", 0, 105), Commit("t", 1, 90))
            .Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.Equal(0L, Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("partition", "0"), ("topic", "t")).Field("lag"));
        Assert.Equal(10L, Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("partition", "1"), ("topic", "t")).Field("lag"));
        ParsedLine sum = Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("topic", "t"));
        Assert.Equal(10L, sum.Field("lag_sum"));
        Assert.Equal(195L, sum.Field("current_offset_sum"));
    }

    [Fact]
    public void A_partition_with_unknown_latest_offset_has_no_lag_and_its_topic_no_lag_sum()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic("t", Healthy(0), Healthy(1))
            .Offsets("t", 0, earliest: 0, latest: 100)
            .Offsets("t", 1, earliest: 3, latest: null)
            .Group("g", 1, Commit("t", 0, 60), Commit("t", 1, 9))
            .Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        ParsedLine known = Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("partition", "0"), ("topic", "t"));
        ParsedLine unknown = Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("partition", "1"), ("topic", "t"));
        ParsedLine sum = Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("topic", "t"));
        Assert.Equal(40L, known.Field("lag"));
        Assert.Equal(9L, unknown.Field("current_offset"));
        Assert.Null(unknown.Field("lag"));
        Assert.Equal(69L, sum.Field("current_offset_sum"));
        Assert.Null(sum.Field("lag_sum"));

        ParsedLine partition1 = Single(lines, "kafka_topic_partition", ("partition", "1"), ("topic", "t"));
        Assert.Null(partition1.Field("current_offset"));
        Assert.Equal(3L, partition1.Field("oldest_offset"));
    }

    [Fact]
    public void Without_any_watermarks_offsets_are_still_reported_without_lag()
    {
        ClusterSnapshot snapshot = new()
        {
            Metadata = new ClusterMetadata([], [new TopicInfo("t", [Healthy(0)])]),
            Groups = [new ConsumerGroupInfo("g", "Stable", 1, [Commit("t", 0, 5)])],
            Watermarks = null,
        };

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        ParsedLine partition = Single(lines, "kafka_topic_partition", ("partition", "0"), ("topic", "t"));
        Assert.Null(partition.Field("current_offset"));
        Assert.Null(partition.Field("oldest_offset"));
        Assert.Null(Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("partition", "0"), ("topic", "t")).Field("lag"));
    }

    [Fact]
    public void Partitions_without_a_commit_are_not_reported_for_the_group()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic("t", Healthy(0), Healthy(1), Healthy(2))
            .Offsets("t", 0, 0, 10).Offsets("t", 1, 0, 10).Offsets("t", 2, 0, 10)
            .Group("g", 1, Commit("t", 1, 4))
            .Build();

        IReadOnlyList<ParsedLine> groupPartitions = [.. Lines(snapshot).Where(l => l.Measurement == "kafka_consumergroup" && l.Tag("partition") is not null)];

        Assert.Equal("1", Assert.Single(groupPartitions).Tag("partition"));
        Assert.Equal(6L, Single(Lines(snapshot), "kafka_consumergroup", ("consumergroup", "g"), ("topic", "t")).Field("lag_sum"));
    }

    [Fact]
    public void An_offline_partition_reports_leader_minus_one_and_not_preferred()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Topic("t", Partition(0, leader: -1, replicas: [3, 4], isr: [])).Build();

        ParsedLine line = Single(Lines(snapshot), "kafka_topic_partition", ("partition", "0"), ("topic", "t"));

        Assert.Equal(-1L, line.Field("leader"));
        Assert.Equal(0L, line.Field("leader_is_preferred"));
        Assert.Equal(0L, line.Field("in_sync_replica"));
        Assert.Equal(1L, line.Field("under_replicated_partition"));
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3 }, 1, 1L)]
    [InlineData(new[] { 1, 2, 3 }, 2, 0L)]
    [InlineData(new int[0], 1, 0L)]
    public void Leader_is_preferred_only_when_it_is_the_first_replica(int[] replicas, int leader, long expected)
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Topic("t", Partition(0, leader, replicas, replicas)).Build();

        Assert.Equal(expected, Single(Lines(snapshot), "kafka_topic_partition", ("partition", "0"), ("topic", "t")).Field("leader_is_preferred"));
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1, 2, 3 }, 0L)]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1, 3 }, 1L)]
    [InlineData(new[] { 1 }, new int[0], 1L)]
    public void A_partition_is_under_replicated_when_fewer_replicas_are_in_sync(int[] replicas, int[] isr, long expected)
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Topic("t", Partition(0, 1, replicas, isr)).Build();

        ParsedLine line = Single(Lines(snapshot), "kafka_topic_partition", ("partition", "0"), ("topic", "t"));
        Assert.Equal(expected, line.Field("under_replicated_partition"));
        Assert.Equal((long)replicas.Length, line.Field("replicas"));
        Assert.Equal((long)isr.Length, line.Field("in_sync_replica"));
    }

    [Fact]
    public void A_topic_that_metadata_could_not_describe_is_left_out_instead_of_reported_with_zero_partitions()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Topic("broken").Topic("ok", Healthy(0)).Build();

        Assert.DoesNotContain(Lines(snapshot), l => l.Tag("topic") == "broken");
        Assert.Equal(1L, Single(Lines(snapshot), "kafka_topic", ("topic", "ok")).Field("partitions"));
    }

    [Fact]
    public void Members_are_omitted_when_the_group_could_not_be_described_and_sums_when_offsets_could_not_be_fetched()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic("t", Healthy(0))
            .Group("undescribed", null, Commit("t", 0, 1))
            .Group("no-offsets", 3, null)
            .Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.DoesNotContain(lines, l => l.Tag("consumergroup") == "undescribed" && l.Field("members") is not null);
        Assert.Equal(3L, Single(lines, "kafka_consumergroup", ("consumergroup", "no-offsets")).Field("members"));
        Assert.DoesNotContain(lines, l => l.Tag("consumergroup") == "no-offsets" && l.Tag("topic") is not null);
    }

    [Fact]
    public void Output_is_sorted_whatever_order_the_snapshot_has()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Broker(10, "z").Broker(9, "y").Broker(100, "x")
            .Topic("b", Healthy(10), Healthy(2), Healthy(1))
            .Topic("B", Healthy(0))
            .Topic("a", Healthy(0))
            .Group("g2", 1, Commit("b", 10, 1), Commit("a", 0, 1), Commit("b", 2, 1))
            .Group("G1", 1, Commit("b", 1, 1))
            .Build();

        string[] keys = [.. Lines(snapshot).Select(l => l.Measurement + "|" + string.Join(",", l.Tags.Select(t => $"{t.Key}={t.Value}")))];

        Assert.Equal(
            [
                "kafka|",
                "kafka_broker|address=y:9092,id=9",
                "kafka_broker|address=z:9092,id=10",
                "kafka_broker|address=x:9092,id=100",
                "kafka_topic|topic=B",
                "kafka_topic|topic=a",
                "kafka_topic|topic=b",
                "kafka_topic_partition|partition=0,topic=B",
                "kafka_topic_partition|partition=0,topic=a",
                "kafka_topic_partition|partition=1,topic=b",
                "kafka_topic_partition|partition=2,topic=b",
                "kafka_topic_partition|partition=10,topic=b",
                "kafka_consumergroup|consumergroup=G1",
                "kafka_consumergroup|consumergroup=g2",
                "kafka_consumergroup|consumergroup=G1,topic=b",
                "kafka_consumergroup|consumergroup=g2,topic=a",
                "kafka_consumergroup|consumergroup=g2,topic=b",
                "kafka_consumergroup|consumergroup=G1,partition=1,topic=b",
                "kafka_consumergroup|consumergroup=g2,partition=0,topic=a",
                "kafka_consumergroup|consumergroup=g2,partition=2,topic=b",
                "kafka_consumergroup|consumergroup=g2,partition=10,topic=b",
                "kafka_consumergroup_state|consumergroup=G1",
                "kafka_consumergroup_state|consumergroup=g2",
                "kafka_consumergroup_state|consumergroup=G1,state=Stable",
                "kafka_consumergroup_state|consumergroup=g2,state=Stable",
                "kafka_collector|",
            ],
            keys);
    }

    [Fact]
    public void Every_line_of_a_gather_carries_the_same_timestamp()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Broker(1, "b").Topic("t", Healthy(0)).Offsets("t", 0, 0, 1).Group("g", 1, Commit("t", 0, 1)).Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.True(lines.Count > 5);
        Assert.All(lines, l => Assert.Equal(Ts, l.Timestamp));
    }

    [Fact]
    public void Brokers_with_ipv6_literal_hosts_get_bracketed_addresses()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Broker(1, "::1", 9093).Build();

        Assert.Equal("[::1]:9093", Single(Lines(snapshot), "kafka_broker", ("address", "[::1]:9093"), ("id", "1")).Tag("address"));
    }

    [Fact]
    public void A_repeated_commit_for_one_partition_is_written_once()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic("t", Healthy(0)).Offsets("t", 0, 0, 10)
            .Group("g", 1, Commit("t", 0, 4), Commit("t", 0, 4))
            .Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.Equal(4L, Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("partition", "0"), ("topic", "t")).Field("current_offset"));
        Assert.Equal(4L, Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("topic", "t")).Field("current_offset_sum"));
    }

    [Fact]
    public void Unrepresentable_names_are_left_out_with_one_warning_each_for_the_life_of_the_builder()
    {
        var builder = new MetricBuilder(_logger);
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic("good", Healthy(0)).Offsets("good", 0, 0, 10)
            .Group("bad\ngroup", 2, Commit("good", 0, 1))
            .Group("", 1, Commit("good", 0, 1))
            .Group("trailing\\", 1, Commit("good", 0, 1))
            .Group("fine", 1, Commit("good", 0, 5))
            .Build();

        for (int gather = 0; gather < 3; gather++)
        {
            IReadOnlyList<ParsedLine> lines = Lines(snapshot, builder);
            Assert.Equal(["fine"], lines.Select(l => l.Tag("consumergroup")).OfType<string>().Distinct());
            Assert.Equal(5L, Single(lines, "kafka_consumergroup", ("consumergroup", "fine"), ("partition", "0"), ("topic", "good")).Field("current_offset"));
        }

        string[] warnings = [.. _logger.Warnings];
        Assert.Equal(3, warnings.Length);
        Assert.Contains(warnings, w => w.Contains("consumer group \"bad\\ngroup\"", StringComparison.Ordinal) && w.Contains("control character", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("consumer group \"\"", StringComparison.Ordinal) && w.Contains("is empty", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("\"trailing\\\\\"", StringComparison.Ordinal) && w.Contains("ends with a backslash", StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.DoesNotContain('\n', w));
    }

    [Fact]
    public void An_unrepresentable_topic_is_left_out_everywhere_including_group_lines()
    {
        string badTopic = "bad" + (char)0xD800;
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .Topic(badTopic, Healthy(0)).Topic("ok", Healthy(0))
            .Group("g", 1, Commit(badTopic, 0, 1), Commit("ok", 0, 2))
            .Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.Equal(["ok"], lines.Select(l => l.Tag("topic")).OfType<string>().Distinct());
        Assert.Single(_logger.Warnings);
        Assert.Contains("\\uD800", _logger.Warnings.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_whose_address_cannot_be_a_tag_is_left_out_with_a_warning()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder().Broker(1, "bad\nhost").Broker(2, "good").Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.Equal(["good:9092"], lines.Where(l => l.Measurement == "kafka_broker").Select(l => l.Tag("address")));
        Assert.Equal(2L, Single(lines, "kafka").Field("brokers"));
        Assert.Contains("broker address", Assert.Single(_logger.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_gather_still_writes_the_self_metric_with_errors_and_partial()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .WithoutMetadata().WithoutGroups()
            .Error("metadata", "all brokers down")
            .Error("groups", "timed out")
            .Build();

        Assert.Equal(
            "kafka_collector gather_duration_seconds=1.5,errors=2i,lines=0i,partial=1i,worker_restarts=2i,workers_abandoned=0i 1700000000000000000\n",
            Render(snapshot));
    }

    [Fact]
    public void A_complete_gather_reports_partial_zero()
    {
        ParsedLine collector = Lines(new SnapshotBuilder().Build())[^1];

        Assert.Equal("kafka_collector", collector.Measurement);
        Assert.Equal(0L, collector.Field("partial"));
        Assert.Equal(0L, collector.Field("errors"));
    }

    [Fact]
    public void Groups_are_reported_even_when_metadata_failed()
    {
        ClusterSnapshot snapshot = new SnapshotBuilder()
            .WithoutMetadata()
            .Offsets("t", 0, 0, 9)
            .Group("g", 1, Commit("t", 0, 4))
            .Build();

        IReadOnlyList<ParsedLine> lines = Lines(snapshot);

        Assert.DoesNotContain(lines, l => l.Measurement is "kafka" or "kafka_topic");
        Assert.Equal(5L, Single(lines, "kafka_consumergroup", ("consumergroup", "g"), ("partition", "0"), ("topic", "t")).Field("lag"));
    }
}
