using System.Text;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.UnitTests.Support;
using KafkaExecdInput.WorkerProtocol;
using static KafkaExecdInput.UnitTests.Metrics.SnapshotBuilder;

namespace KafkaExecdInput.UnitTests.Metrics;

/// <summary>The cluster and topic detail families (issue 9): exact lines for a known snapshot, and what a missing part leaves out.</summary>
public sealed class ClusterTopicFamiliesTests
{
    /// <summary>The families these tests cover, by the names exclude_metrics takes.</summary>
    public static readonly string[] Names = ["cluster_info", "cluster_totals", "broker_detail", "topic_replication", "topic_config"];

    private const long Ts = 1_700_000_000_000_000_000;

    private readonly RecordingLogger _logger = new();

    private string Render(ClusterSnapshot snapshot)
    {
        using var writer = new LineProtocolWriter();
        new MetricBuilder(_logger, MetricFamilies.All.Where(f => Names.Contains(f.Name) || !f.CanBeTurnedOff)).Write(snapshot, new GatherSummary(TimeSpan.FromSeconds(1), 0), Ts, writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    /// <summary>
    /// orders: min.insync.replicas 2, partition 1 has one in-sync replica (under it), partition 2 is led by
    /// its second replica; events: offline partition, retention.ms that is not a number; fresh: created since
    /// the last config refresh (no configs). Broker 3 has no rack.
    /// </summary>
    private static SnapshotBuilder Known() => new SnapshotBuilder()
        .Broker(2, "b2").Broker(1, "b1").Broker(3, "b3")
        .Cluster("abc-123", 2, (1, "rack-a"), (2, "rack-b"), (3, null))
        .Topic("orders",
            Partition(0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3]),
            Partition(1, leader: 2, replicas: [2, 3, 1], isr: [2]),
            Partition(2, leader: 1, replicas: [3, 1, 2], isr: [3, 1, 2]))
        .Topic("events", Partition(0, leader: -1, replicas: [1, 2], isr: []), Partition(1, leader: 2, replicas: [2, 1], isr: [2, 1]))
        .Topic("fresh", Partition(0, leader: 3, replicas: [3], isr: [3]))
        .TopicConfigs("orders", ("retention.ms", "604800000"), ("cleanup.policy", "delete"), ("min.insync.replicas", "2"), ("retention.bytes", "-1"))
        .TopicConfigs("events", ("retention.ms", "not-a-number"), ("cleanup.policy", "compact,delete"), ("min.insync.replicas", "1"));

    [Fact]
    public void A_known_snapshot_maps_to_the_exact_lines()
    {
        Assert.Equal(
            """
            kafka_cluster,cluster_id=abc-123 info=1i,controller_id=2i 1700000000000000000
            kafka_cluster topics=3i,partitions=6i,offline_partitions=1i,under_replicated_partitions=2i,under_min_isr_partitions=1i,non_preferred_leader_partitions=1i 1700000000000000000
            kafka_broker_role,address=b1:9092,id=1 is_controller=0i 1700000000000000000
            kafka_broker_role,address=b2:9092,id=2 is_controller=1i 1700000000000000000
            kafka_broker_role,address=b3:9092,id=3 is_controller=0i 1700000000000000000
            kafka_broker_rack,address=b1:9092,id=1,rack=rack-a info=1i 1700000000000000000
            kafka_broker_rack,address=b2:9092,id=2,rack=rack-b info=1i 1700000000000000000
            kafka_topic_replication,topic=events factor=2i,offline_partitions=1i,under_min_isr_partitions=0i,min_insync_replicas=1i 1700000000000000000
            kafka_topic_replication,topic=fresh factor=1i,offline_partitions=0i 1700000000000000000
            kafka_topic_replication,topic=orders factor=3i,offline_partitions=0i,under_min_isr_partitions=1i,min_insync_replicas=2i 1700000000000000000
            kafka_topic_config,topic=events min_insync_replicas=1i 1700000000000000000
            kafka_topic_config,topic=orders min_insync_replicas=2i,retention_bytes=-1i,retention_ms=604800000i 1700000000000000000
            kafka_topic_config,config=cleanup.policy,topic=events,value=compact\,delete info=1i 1700000000000000000
            kafka_topic_config,config=cleanup.policy,topic=orders,value=delete info=1i 1700000000000000000
            kafka_collector gather_duration_seconds=1,errors=0i,lines=14i,partial=0i,worker_restarts=0i,workers_abandoned=0i 1700000000000000000

            """,
            Render(Known().Build()));
        Assert.Empty(_logger.Records);
    }

    [Fact]
    public void Without_describe_cluster_or_topic_configs_only_what_the_metadata_shows_is_written()
    {
        ClusterSnapshot snapshot = Known().Build();
        var withoutDetails = new ClusterSnapshot { Metadata = snapshot.Metadata, Errors = [new GatherError("cluster", "DescribeCluster: timed out")] };

        string text = Render(withoutDetails);

        Assert.DoesNotContain("kafka_cluster,", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kafka_broker", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kafka_topic_config", text, StringComparison.Ordinal);
        Assert.DoesNotContain("min_insync", text, StringComparison.Ordinal);
        Assert.Contains("kafka_cluster topics=3i,partitions=6i,offline_partitions=1i,under_replicated_partitions=2i,non_preferred_leader_partitions=1i ", text, StringComparison.Ordinal);
        Assert.Contains("kafka_topic_replication,topic=orders factor=3i,offline_partitions=0i ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_read_only_for_min_isr_is_not_written_as_a_topic_config()
    {
        var snapshot = Known().Build();
        snapshot.TopicConfigs = new TopicConfigTable(
            [new TopicConfigValues("orders", [new ConfigValue("min.insync.replicas", "2"), new ConfigValue("retention.ms", "5")])],
            reportedKeys: ["retention.ms"]);

        string text = Render(snapshot);

        Assert.Contains("kafka_topic_config,topic=orders retention_ms=5i ", text, StringComparison.Ordinal);
        Assert.Contains("kafka_topic_replication,topic=orders factor=3i,offline_partitions=0i,under_min_isr_partitions=1i,min_insync_replicas=2i ", text, StringComparison.Ordinal);
    }
}
