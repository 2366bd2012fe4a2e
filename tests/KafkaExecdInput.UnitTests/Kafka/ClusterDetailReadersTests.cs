using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>DescribeCluster and DescribeConfigs in a gather: when they are asked, how they batch, and what their failures leave.</summary>
public class ClusterDetailReadersTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    private static readonly string[] Keys = ["retention.ms", "min.insync.replicas"];

    private static GatherRequest WithDetails(bool cluster = true, IReadOnlyList<string>? keys = null) =>
        ReaderHarness.Everything(Budget) with { WantClusterDescription = cluster, TopicConfigKeys = keys ?? Keys };

    [Fact]
    public async Task Cluster_and_topic_configs_are_read_after_the_metadata_and_only_the_chosen_keys_are_sent()
    {
        var h = new ReaderHarness();

        await h.GatherAsync(WithDetails());

        var cluster = h.Sink.Parts.OfType<ClusterDescriptionPart>().Single().Cluster;
        Assert.Equal(new ClusterDescription("cluster-1", 1, [new BrokerRack(1, "rack-a")]), cluster with { Brokers = [.. cluster.Brokers] },
            new ClusterDescriptionComparer());
        var configs = h.Sink.Parts.OfType<TopicConfigsPart>().Single();
        Assert.Null(configs.Denied);
        Assert.Equal(["min.insync.replicas=1", "retention.ms=604800000"], configs.Topics.Single().Configs.Select(c => $"{c.Key}={c.Value}").Order());
        Assert.Empty(h.Sink.Errors);
        var calls = h.Admin.Calls.Select(c => c.Api).ToList();
        Assert.True(calls.IndexOf(AdminApi.GetMetadata) < calls.IndexOf(AdminApi.DescribeCluster), string.Join(", ", calls));
    }

    /// <summary>
    /// The trap from the brief: beside a Metadata call that fails (a TLS or SASL handshake), a DescribeCluster
    /// made librdkafka reconnect to every broker until the deadline. When the metadata failed, neither runs.
    /// </summary>
    [Fact]
    public async Task When_the_metadata_fails_neither_describe_call_is_made()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = _ => throw new KafkaException(new Error(ErrorCode.Local_AllBrokersDown));

        await h.GatherAsync(WithDetails());

        Assert.Empty(h.Admin.CallsTo(AdminApi.DescribeCluster));
        Assert.Empty(h.Admin.CallsTo(AdminApi.DescribeConfigs));
        Assert.Equal(["metadata"], h.Sink.Errors.Select(e => e.Source));
    }

    [Fact]
    public async Task Nothing_is_described_that_was_not_asked_for()
    {
        var h = new ReaderHarness();

        await h.GatherAsync(ReaderHarness.Everything(Budget));

        Assert.Empty(h.Admin.CallsTo(AdminApi.DescribeCluster));
        Assert.Empty(h.Admin.CallsTo(AdminApi.DescribeConfigs));
    }

    [Fact]
    public async Task Topic_configs_go_in_calls_of_at_most_a_thousand_topics()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = _ => Cluster.Metadata([.. Enumerable.Range(0, 2_500).Select(i => ($"t{i}", 1, 1))]);

        await h.GatherAsync(WithDetails(cluster: false));

        Assert.Equal([1_000, 1_000, 500], h.Admin.CallsTo(AdminApi.DescribeConfigs).Select(c => c.Items.Count));
        Assert.Equal(2_500, h.Sink.Parts.OfType<TopicConfigsPart>().Single().Topics.Count);
    }

    [Fact]
    public async Task A_failing_describe_cluster_is_an_error_and_the_other_parts_are_still_sent()
    {
        var h = new ReaderHarness();
        h.Admin.OnDescribeCluster = () => throw new KafkaException(new Error(ErrorCode.Local_TimedOut, "DescribeCluster timed out"));

        await h.GatherAsync(WithDetails());

        Assert.Empty(h.Sink.Parts.OfType<ClusterDescriptionPart>());
        Assert.Single(h.Sink.Parts.OfType<MetadataPart>());
        Assert.Single(h.Sink.Parts.OfType<TopicConfigsPart>());
        Assert.Single(h.Sink.Parts.OfType<WatermarksPart>());
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("cluster", error.Source);
        Assert.Contains("DescribeCluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denied_topics_are_named_apart_from_errors_and_the_others_are_kept()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = _ => Cluster.Metadata(("open", 1, 1), ("secret", 1, 1), ("broken", 1, 1));
        h.Admin.OnDescribeConfigs = resources => throw new DescribeConfigsException([.. resources.Select(r => new DescribeConfigsReport
        {
            ConfigResource = r,
            Entries = r.Name == "open" ? new Dictionary<string, ConfigEntryResult> { ["retention.ms"] = new() { Name = "retention.ms", Value = "1" } } : [],
            Error = new Error(r.Name switch
            {
                "secret" => ErrorCode.TopicAuthorizationFailed,
                "broken" => ErrorCode.UnknownTopicOrPart,
                _ => ErrorCode.NoError,
            }),
        })]);

        await h.GatherAsync(WithDetails(cluster: false));

        var configs = h.Sink.Parts.OfType<TopicConfigsPart>().Single();
        Assert.Equal(["open"], configs.Topics.Select(t => t.Topic));
        Assert.Contains("\"secret\"", configs.Denied, StringComparison.Ordinal);
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("topic_config", error.Source);
        Assert.Contains("\"broken\"", error.Message, StringComparison.Ordinal);
    }

    private sealed class ClusterDescriptionComparer : IEqualityComparer<ClusterDescription>
    {
        public bool Equals(ClusterDescription? x, ClusterDescription? y) =>
            x!.ClusterId == y!.ClusterId && x.ControllerId == y.ControllerId && x.Brokers.SequenceEqual(y.Brokers);

        public int GetHashCode(ClusterDescription obj) => 0;
    }
}
