using KafkaExecdInput.Configuration;
using KafkaExecdInput.History;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using KafkaExecdInput.UnitTests.Support;
using static KafkaExecdInput.UnitTests.Metrics.SnapshotBuilder;

namespace KafkaExecdInput.UnitTests.Metrics;

/// <summary>
/// The families' declarations are what they write: every line written is declared (measurement, tag
/// set, field names and types), every declared field is written, what a family says it reads is all it
/// reads, and turning one family off leaves every other line as it was.
/// </summary>
public sealed class MetricFamiliesTests
{
    private const long Ts = 1_700_000_000_000_000_000;

    /// <summary>
    /// The series kafka_exporter users' dashboards query (design.md §4), as Prometheus name and label
    /// set. Pinned here: none of them may change name or labels, whatever families are added.
    /// </summary>
    private static readonly (string Series, string Labels)[] KafkaExporterSeries =
    [
        ("kafka_brokers", ""),
        ("kafka_broker_info", "address,id"),
        ("kafka_topic_partitions", "topic"),
        ("kafka_topic_partition_current_offset", "partition,topic"),
        ("kafka_topic_partition_oldest_offset", "partition,topic"),
        ("kafka_topic_partition_leader", "partition,topic"),
        ("kafka_topic_partition_replicas", "partition,topic"),
        ("kafka_topic_partition_in_sync_replica", "partition,topic"),
        ("kafka_topic_partition_leader_is_preferred", "partition,topic"),
        ("kafka_topic_partition_under_replicated_partition", "partition,topic"),
        ("kafka_consumergroup_members", "consumergroup"),
        ("kafka_consumergroup_current_offset_sum", "consumergroup,topic"),
        ("kafka_consumergroup_lag_sum", "consumergroup,topic"),
        ("kafka_consumergroup_current_offset", "consumergroup,partition,topic"),
        ("kafka_consumergroup_lag", "consumergroup,partition,topic"),
    ];

    /// <summary>A snapshot in which every declared field has a value.</summary>
    private static ClusterSnapshot Rich() => WithLagStatus(WithLagSeconds(new SnapshotBuilder()
        .Broker(1, "b1").Broker(2, "b2")
        .Topic("orders", Partition(0, leader: 1, replicas: [1, 2], isr: [1]), Healthy(1, leader: 2))
        .Topic("events", Healthy(0))
        .Offsets("orders", 0, 5, 100).Offsets("orders", 1, 0, 50).Offsets("events", 0, 1, 9)
        .Group("billing", 2, Commit("orders", 0, 90), Commit("orders", 1, 50), Commit("events", 0, 9))
        .Detail("classic", "consumer", "range", 1, Member("billing-client", "/10.0.0.1", ("orders", [0, 1])), Member("billing-client", "/10.0.0.2"))
        .Group("idle", 0, Commit("orders", 0, 40)).InState("Empty")
        .Detail("classic", null, null, 2)
        .Group("moving", 1).InState("PreparingRebalance")
        .Detail("consumer", "consumer", "uniform", 2, new GroupMember("moving-client", "/10.0.0.3", Assignment: null))
        .Error("groups", "one group could not be described")
        .Cluster("cluster-1", 2, (1, "rack-a"), (2, "rack-b"))
        .TopicConfigs("orders", RichConfigs)
        .TopicConfigs("events", ("cleanup.policy", "compact"), ("min.insync.replicas", "1"))
        .Build()));

    private static readonly (string Key, string Value)[] RichConfigs =
    [
        ("retention.ms", "604800000"), ("retention.bytes", "-1"), ("cleanup.policy", "delete"),
        ("min.insync.replicas", "2"), ("segment.bytes", "1073741824"), ("max.message.bytes", "1048588"),
    ];

    /// <summary>Lag in seconds as the Collector would have computed it (History/LagSecondsEstimator) for <see cref="Rich"/>.</summary>
    private static ClusterSnapshot WithLagSeconds(ClusterSnapshot snapshot)
    {
        var table = new LagSecondsTable();
        table.Set("billing", "orders", 0, new LagSeconds(12.5, LagSecondsSource.Interpolated));
        table.Set("billing", "orders", 1, new LagSeconds(0, LagSecondsSource.CaughtUp));
        table.Set("billing", "events", 0, new LagSeconds(0, LagSecondsSource.CaughtUp));
        table.Set("idle", "orders", 0, new LagSeconds(3600, LagSecondsSource.AtLeast));
        snapshot.LagSeconds = table;
        return snapshot;
    }

    /// <summary>Lag status as the Collector would have computed it (History/LagStatusEvaluator) for <see cref="Rich"/> after a few gathers.</summary>
    private static ClusterSnapshot WithLagStatus(ClusterSnapshot snapshot)
    {
        var table = new LagStatusTable();
        table.Set("billing", "orders", 0, new LagStatusValue(LagStatus.Warn, 0.5));
        table.Set("billing", "orders", 1, new LagStatusValue(LagStatus.Ok, 0.5));
        table.Set("billing", "events", 0, new LagStatusValue(LagStatus.Ok, 0.5));
        table.SetGroup("billing", new LagStatusValue(LagStatus.Warn, 0));
        table.Set("idle", "orders", 0, new LagStatusValue(LagStatus.Stop, 1));
        table.SetGroup("idle", new LagStatusValue(LagStatus.Err, 1));
        snapshot.LagStatus = table;
        return snapshot;
    }

    private static IReadOnlyList<ParsedLine> Lines(ClusterSnapshot snapshot, IEnumerable<MetricFamily>? families = null)
    {
        using var writer = new LineProtocolWriter();
        new MetricBuilder(new RecordingLogger(), families).Write(snapshot, new GatherSummary(TimeSpan.FromSeconds(1.25), 1), Ts, writer);
        return StrictLineParser.ParseAll(writer.WrittenSpan);
    }

    private static string TagSet(IEnumerable<string> keys) => string.Join(",", keys);

    private static bool IsOf(MetricLine line, ParsedLine parsed) =>
        parsed.Measurement == line.Measurement.Value && TagSet(parsed.Tags.Select(t => t.Key)) == TagSet(line.Tags.Select(t => t.Name));

    private static bool IsOf(MetricFamily family, ParsedLine parsed) => family.Lines.Any(line => IsOf(line, parsed));

    private static string Text(ParsedLine line) =>
        $"{line.Measurement},{string.Join(",", line.Tags.Select(t => $"{t.Key}={t.Value}"))} {string.Join(",", line.Fields.Select(f => $"{f.Key}={f.Value}"))}";

    [Fact]
    public void Every_line_written_is_declared_with_its_fields_and_their_types()
    {
        foreach (ParsedLine parsed in Lines(Rich()))
        {
            MetricLine line = Assert.Single(MetricFamilies.All.SelectMany(f => f.Lines), l => IsOf(l, parsed));
            foreach ((string key, object value) in parsed.Fields)
            {
                MetricField field = Assert.Single(line.Fields, f => f.Name == key);
                Assert.IsType(field.Type switch
                {
                    MetricFieldType.Integer => typeof(long),
                    MetricFieldType.Float => typeof(double),
                    _ => typeof(string),
                }, value);
            }
        }
    }

    [Fact]
    public void Every_declared_field_is_written_for_a_snapshot_that_has_it()
    {
        IReadOnlyList<ParsedLine> lines = Lines(Rich());

        foreach (MetricFamily family in MetricFamilies.All)
        {
            foreach (MetricLine line in family.Lines)
            {
                foreach (MetricField field in line.Fields)
                {
                    Assert.True(
                        lines.Any(l => IsOf(line, l) && l.Field(field.Name) is not null),
                        $"{family.Name}: {line.PrometheusName(field)} was declared but not written");
                }
            }
        }
    }

    [Fact]
    public void Each_prometheus_name_belongs_to_one_line_shape_and_kafka_exporter_series_keep_their_labels()
    {
        var series = MetricFamilies.All
            .SelectMany(f => f.Lines)
            .SelectMany(line => line.Fields.Select(field => (Series: line.PrometheusName(field), Labels: TagSet(line.Tags.Select(t => t.Name)))))
            .ToList();

        Assert.Equal(series.Count, series.Select(s => s.Series).Distinct().Count());
        Assert.All(KafkaExporterSeries, pinned => Assert.Contains(pinned, series));
    }

    [Fact]
    public void Family_names_are_unique_short_and_the_self_metric_comes_last_and_stays_on()
    {
        string[] names = [.. MetricFamilies.All.Select(f => f.Name)];

        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z][a-z_]*$", n));
        Assert.Equal("collector", names[^1]);
        Assert.False(MetricFamilies.All[^1].CanBeTurnedOff);
        Assert.Throws<ArgumentException>(() => MetricFamilies.Without(["collector"]));
        Assert.Throws<ArgumentException>(() => MetricFamilies.Without(["no_such_family"]));
    }

    [Fact]
    public void Turning_a_family_off_removes_exactly_its_lines()
    {
        ClusterSnapshot snapshot = Rich();
        IReadOnlyList<ParsedLine> all = Lines(snapshot);

        foreach (MetricFamily off in MetricFamilies.All.Where(f => f.CanBeTurnedOff))
        {
            IReadOnlyList<ParsedLine> without = Lines(snapshot, MetricFamilies.Without([off.Name]));

            Assert.Contains(all, l => IsOf(off, l));
            Assert.Equal(
                all.Where(l => !IsOf(off, l) && l.Measurement != "kafka_collector").Select(Text),
                without.Where(l => l.Measurement != "kafka_collector").Select(Text));
            Assert.Equal((long)(without.Count - 1), without[^1].Field("lines"));
        }
    }

    /// <summary>
    /// A family's declared needs are the only snapshot parts it reads: given a snapshot that holds only
    /// those, it writes the same lines. (What a family that is off does not need, a gather need not ask.)
    /// </summary>
    [Fact]
    public void A_family_writes_the_same_lines_from_a_snapshot_holding_only_what_it_declares_it_needs()
    {
        ClusterSnapshot full = Rich();
        IReadOnlyList<ParsedLine> fromFull = Lines(full);

        foreach (MetricFamily family in MetricFamilies.All.Where(f => f.CanBeTurnedOff))
        {
            IReadOnlyList<ParsedLine> fromNeeds = Lines(OnlyWhat(family.Needs, full), [family]);

            Assert.Equal(fromFull.Where(l => IsOf(family, l)).Select(Text), fromNeeds.Where(l => IsOf(family, l)).Select(Text));
        }
    }

    [Fact]
    public void Needs_of_the_families_that_are_on_say_which_kafka_reads_a_gather_can_skip()
    {
        Assert.Equal(
            SnapshotNeeds.Metadata | SnapshotNeeds.EarliestOffsets | SnapshotNeeds.LatestOffsets | SnapshotNeeds.GroupDescriptions | SnapshotNeeds.CommittedOffsets
            | SnapshotNeeds.ClusterDescription | SnapshotNeeds.TopicConfigs | SnapshotNeeds.MinInsyncReplicas,
            MetricFamilies.NeedsOf(MetricFamilies.All));
        Assert.Equal(
            SnapshotNeeds.Metadata | SnapshotNeeds.EarliestOffsets | SnapshotNeeds.LatestOffsets | SnapshotNeeds.GroupDescriptions | SnapshotNeeds.CommittedOffsets,
            MetricFamilies.NeedsOf(MetricFamilies.Without(ClusterTopicFamiliesTests.Names)));
        Assert.Equal(
            MetricFamilies.NeedsOf(MetricFamilies.All) & ~SnapshotNeeds.TopicConfigs,
            MetricFamilies.NeedsOf(MetricFamilies.Without(["topic_config"])));
        Assert.Equal(
            MetricFamilies.NeedsOf(MetricFamilies.All) & ~SnapshotNeeds.ClusterDescription,
            MetricFamilies.NeedsOf(MetricFamilies.Without(["cluster_info", "broker_detail"])));
        Assert.Equal(
            SnapshotNeeds.Metadata | SnapshotNeeds.EarliestOffsets | SnapshotNeeds.LatestOffsets | SnapshotNeeds.GroupDescriptions,
            MetricFamilies.NeedsOf(MetricFamilies.Without(["consumergroup_topic", "consumergroup_partition", "consumergroup_lag_seconds", "consumergroup_assignment",
                "consumergroup_lag_status", "consumergroup_partition_lag_status", .. ClusterTopicFamiliesTests.Names])));
        Assert.Equal(
            SnapshotNeeds.Metadata | SnapshotNeeds.LatestOffsets | SnapshotNeeds.CommittedOffsets,
            MetricFamilies.NeedsOf(MetricFamilies.Without(["topic_partition", "consumergroup", "consumergroup_state", "consumergroup_lag_seconds",
                "consumergroup_info", "consumergroup_assignment", "consumergroup_partition_owner",
                "consumergroup_lag_status", "consumergroup_partition_lag_status", .. ClusterTopicFamiliesTests.Names])));
    }

    [Fact]
    public void The_history_keeps_latest_offset_rings_only_for_lag_seconds_and_commit_windows_only_for_lag_status()
    {
        var config = PluginConfig.ForBrokers(["localhost:9092"]).With(Options.LagStatusWindow, 7).With(Options.AllowedLag, 5);

        Assert.True(MetricFamilies.SampleLatestOffsets(MetricFamilies.All));
        Assert.False(MetricFamilies.SampleLatestOffsets(MetricFamilies.Without(["consumergroup_lag_seconds"])));
        Assert.True(MetricFamilies.SampleLatestOffsets(MetricFamilies.Without(["consumergroup_lag_status", "consumergroup_partition_lag_status"])));

        Assert.Equal(new LagStatusSettings(7, 5), MetricFamilies.LagStatusOf(MetricFamilies.All, config));
        Assert.Equal(new LagStatusSettings(7, 5), MetricFamilies.LagStatusOf(MetricFamilies.Without(["consumergroup_lag_status"]), config));
        Assert.Equal(new LagStatusSettings(7, 5), MetricFamilies.LagStatusOf(MetricFamilies.Without(["consumergroup_partition_lag_status"]), config));
        Assert.Null(MetricFamilies.LagStatusOf(MetricFamilies.Without(["consumergroup_lag_status", "consumergroup_partition_lag_status"]), config));
        Assert.NotNull(MetricFamilies.LagStatusOf(MetricFamilies.Without(["consumergroup_lag_seconds"]), config));
    }

    /// <summary>The snapshot as a gather that read only <paramref name="needs"/> would have it.</summary>
    private static ClusterSnapshot OnlyWhat(SnapshotNeeds needs, ClusterSnapshot full)
    {
        bool Has(SnapshotNeeds part) => (needs & part) != 0;

        var watermarks = new WatermarkTable();
        foreach (((string topic, int partition), Watermarks offsets) in full.Watermarks!.Entries)
        {
            if (Has(SnapshotNeeds.EarliestOffsets) && offsets.Earliest is { } earliest)
            {
                watermarks.SetEarliest(topic, partition, earliest);
            }

            if (Has(SnapshotNeeds.LatestOffsets) && offsets.Latest is { } latest)
            {
                watermarks.SetLatest(topic, partition, latest);
            }
        }

        return new ClusterSnapshot
        {
            Metadata = Has(SnapshotNeeds.Metadata) ? full.Metadata : null,
            Groups = Has(SnapshotNeeds.GroupDescriptions) || Has(SnapshotNeeds.CommittedOffsets)
                ? [.. full.Groups!.Select(g => new ConsumerGroupInfo(
                    g.GroupId,
                    Has(SnapshotNeeds.GroupDescriptions) ? g.State : "",
                    Has(SnapshotNeeds.GroupDescriptions) ? g.MemberCount : null,
                    Has(SnapshotNeeds.CommittedOffsets) ? g.CommittedOffsets : null))]
                : null,
            GroupDetails = Has(SnapshotNeeds.GroupDescriptions) ? full.GroupDetails : null,
            Watermarks = watermarks,
            Errors = full.Errors,
            Cluster = Has(SnapshotNeeds.ClusterDescription) ? full.Cluster : null,
            TopicConfigs = TopicConfigsOnlyFor(needs),
        }.WithLagSecondsOf(full);
    }

    /// <summary>
    /// Rich's topic configs as a gather that read only <paramref name="needs"/> would hold them: all of them
    /// for the topic_config family, only min.insync.replicas (not reported as a config) for the min-ISR fields.
    /// </summary>
    private static TopicConfigTable? TopicConfigsOnlyFor(SnapshotNeeds needs)
    {
        var all = Rich().TopicConfigs!;
        string[] reported = (needs & SnapshotNeeds.TopicConfigs) != 0 ? [.. TopicConfigCatalog.DefaultKeys] : [];
        bool minIsr = (needs & SnapshotNeeds.MinInsyncReplicas) != 0;
        if (reported.Length == 0 && !minIsr)
        {
            return null;
        }

        var topics = new[] { "orders", "events" }.Select(topic => new TopicConfigValues(topic, [.. TopicConfigCatalog.DefaultKeys
            .Where(key => reported.Contains(key) || (minIsr && key == TopicConfigTable.MinInsyncReplicasKey))
            .Select(key => all.Get(topic, key) is { } value ? new ConfigValue(key, value) : null)
            .OfType<ConfigValue>()]));
        return new TopicConfigTable(topics, reported);
    }
}

internal static class DerivedSnapshotParts
{
    /// <summary>Lag in seconds and lag status are computed in the parent from the parts above, not read from Kafka: they carry over.</summary>
    public static ClusterSnapshot WithLagSecondsOf(this ClusterSnapshot snapshot, ClusterSnapshot full)
    {
        snapshot.LagSeconds = full.LagSeconds;
        snapshot.LagStatus = full.LagStatus;
        return snapshot;
    }
}
