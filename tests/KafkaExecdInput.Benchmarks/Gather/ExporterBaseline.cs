using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// The baseline: kafka_exporter's request pattern (danielqsj/kafka_exporter, kafka_exporter.go, collect()),
/// replayed with the same Confluent.Kafka client the plugin uses, in a child process of its own.
/// </summary>
/// <remarks>
/// <para>kafka_exporter's pattern, as read in its source, and how it is replayed here:</para>
/// <list type="number">
/// <item>Metadata for all topics (its client refreshes it at most every 30 s): one <c>GetMetadata</c>.</item>
/// <item>Topic pass: min(topics / 2, 100) workers take one topic at a time; for every partition they ask the
/// newest and then the oldest offset, one ListOffsets request each (sarama <c>GetOffset</c>). Replayed with
/// <c>QueryWatermarkOffsets</c> on a consumer, which sends the same two single-partition ListOffsets requests to
/// the leader (concurrently rather than one after the other, so if anything the replay is faster).</item>
/// <item>Group pass, after the topic pass: one goroutine per broker runs ListGroups and one DescribeGroups on
/// that broker, then one OffsetFetch per group, one group after another. With its default
/// <c>offset.show-all = true</c> each OffsetFetch names every partition of every topic. Replayed with the classic
/// <c>ListGroups</c> (ListGroups + DescribeGroups on every broker) and, per coordinator broker in parallel, one
/// <c>ListConsumerGroupOffsetsAsync</c> per group naming every partition, serialized.</item>
/// </list>
/// <para>A second variant keeps that structure but asks each group only for its committed offsets. librdkafka's
/// offset fetch costs CPU that grows faster than linearly with the partitions named in one call (as its
/// ListOffsets does), so the faithful variant also measures that client cost, which kafka_exporter's Go client
/// may not have; the committed-only variant is a lower bound for kafka_exporter's scrape.</para>
/// <para>Lag needs no further requests: kafka_exporter reuses the newest offsets of the topic pass.</para>
/// <para>Each pass has a time budget. When it runs out the pass stops taking new work and its full duration is
/// extrapolated from the rate so far (partitions per second, groups per second); the result says so.</para>
/// </remarks>
internal static class ExporterBaseline
{
    public const string Mode = "baseline";

    public const string ShowAll = "show-all";

    public const string CommittedOnly = "committed-only";

    private const int MaxTopicWorkers = 100;

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Go's net package turns Nagle's algorithm off on every TCP connection, so kafka_exporter (sarama) runs without it.</summary>
    public const string NagleOff = "nagle-off";

    /// <summary>Child side: connects, prints READY, then runs one scrape per line it reads (the variant) and prints one JSON line each.</summary>
    /// <param name="nagleDisabled">socket.nagle.disable for both clients (librdkafka's default leaves Nagle on).</param>
    public static async Task<int> RunAsync(string bootstrapServers, TimeSpan passBudget, bool nagleDisabled = false)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "kafka_exporter-baseline",
            SocketTimeoutMs = (int)CallTimeout.TotalMilliseconds,
            SocketNagleDisable = nagleDisabled,
        }).Build();
        // Confluent's consumer requires a group id; it never subscribes, so it joins no group.
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "kafka_exporter-baseline",
            GroupId = "kafka_exporter-baseline",
            SocketTimeoutMs = (int)CallTimeout.TotalMilliseconds,
            SocketNagleDisable = nagleDisabled,
        }).Build();

        // A long-lived exporter has its connections open and every topic's leaders cached: warm both clients up
        // first. A full Metadata request through the consumer's own handle fills the cache its offset queries use.
        var metadata = admin.GetMetadata(CallTimeout);
        using (var consumerMetadata = new DependentAdminClientBuilder(consumer.Handle).Build())
        {
            consumerMetadata.GetMetadata(CallTimeout);
        }

        var firstTopic = metadata.Topics.OrderBy(t => t.Topic, StringComparer.Ordinal).First();
        consumer.QueryWatermarkOffsets(new TopicPartition(firstTopic.Topic, 0), CallTimeout);
        Console.Out.WriteLine("READY");
        Console.Out.Flush();
        while (Console.In.ReadLine() is { } command)
        {
            var variant = command switch
            {
                ShowAll => true,
                CommittedOnly => false,
                _ => throw new InvalidOperationException($"unknown baseline variant {command}"),
            };
            var result = await ScrapeAsync(admin, consumer, passBudget, variant).ConfigureAwait(false);
            Console.Out.WriteLine(JsonSerializer.Serialize(result, BenchJson.Options));
            Console.Out.Flush();
        }

        return 0;
    }

    /// <summary>One kafka_exporter scrape: metadata, topic pass, group pass.</summary>
    /// <param name="showAll">
    /// True: each OffsetFetch names every partition of the cluster, as kafka_exporter's default offset.show-all does.
    /// False: each OffsetFetch asks only for the group's committed offsets (what the plugin asks), keeping
    /// kafka_exporter's structure; a lower bound for its group pass, free of the cost of huge requests.
    /// </param>
    private static async Task<BaselineResult> ScrapeAsync(IAdminClient admin, IConsumer<Ignore, Ignore> consumer, TimeSpan passBudget, bool showAll)
    {
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var metadata = admin.GetMetadata(CallTimeout);
        var metadataSeconds = watch.Elapsed.TotalSeconds;

        var topics = metadata.Topics
            .Where(t => !t.Error.IsError)
            .OrderBy(t => t.Topic, StringComparer.Ordinal)
            .Select(t => (t.Topic, Partitions: t.Partitions.Select(p => p.PartitionId).OrderBy(p => p).ToArray()))
            .ToArray();
        var topicPass = RunTopicPass(consumer, topics, passBudget);

        List<TopicPartition>? allPartitions = showAll
            ? [.. topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p)))]
            : null;
        var groupPass = await RunGroupPassAsync(admin, allPartitions, passBudget).ConfigureAwait(false);
        return new BaselineResult(showAll ? ShowAll : CommittedOnly, metadataSeconds, topicPass, groupPass, total.Elapsed.TotalSeconds);
    }

    private static PassResult RunTopicPass(IConsumer<Ignore, Ignore> consumer, (string Topic, int[] Partitions)[] topics, TimeSpan budget)
    {
        var workers = topics.Length > 1 ? Math.Min(topics.Length / 2, MaxTopicWorkers) : 1;
        var totalPartitions = topics.Sum(t => t.Partitions.Length);
        var next = -1;
        var done = 0;
        var errors = 0;
        var watch = Stopwatch.StartNew();

        void Work()
        {
            while (watch.Elapsed < budget)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= topics.Length)
                {
                    return;
                }

                var (topic, partitions) = topics[index];
                foreach (var partition in partitions)
                {
                    try
                    {
                        consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), CallTimeout);
                    }
                    catch (KafkaException)
                    {
                        Interlocked.Increment(ref errors);
                    }

                    Interlocked.Increment(ref done);
                }
            }
        }

        // Blocking calls, as kafka_exporter's goroutines block: one thread per worker.
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return new PassResult(watch.Elapsed.TotalSeconds, done, totalPartitions, errors, workers, 0);
    }

    private static async Task<PassResult> RunGroupPassAsync(IAdminClient admin, List<TopicPartition>? allPartitions, TimeSpan budget)
    {
        var watch = Stopwatch.StartNew();
        var groups = admin.ListGroups(CallTimeout);
        var listSeconds = watch.Elapsed.TotalSeconds;
        var done = 0;
        var errors = 0;

        async Task FetchSeriallyAsync(IEnumerable<string> groupIds)
        {
            foreach (var groupId in groupIds)
            {
                if (watch.Elapsed >= budget)
                {
                    return;
                }

                try
                {
                    await admin.ListConsumerGroupOffsetsAsync(
                        [new ConsumerGroupTopicPartitions(groupId, allPartitions)],
                        new ListConsumerGroupOffsetsOptions { RequestTimeout = CallTimeout }).ConfigureAwait(false);
                }
                catch (KafkaException)
                {
                    Interlocked.Increment(ref errors);
                }

                Interlocked.Increment(ref done);
            }
        }

        // One serial loop per coordinator broker, the brokers in parallel.
        await Task.WhenAll(groups
            .GroupBy(g => g.Broker.BrokerId)
            .Select(byBroker => Task.Run(() => FetchSeriallyAsync(byBroker.Select(g => g.Group).Order(StringComparer.Ordinal).ToList()))))
            .ConfigureAwait(false);
        return new PassResult(watch.Elapsed.TotalSeconds, done, groups.Count, errors, groups.Select(g => g.Broker.BrokerId).Distinct().Count(), listSeconds);
    }
}

/// <summary>One pass of the baseline: how far it got in how long.</summary>
/// <param name="Workers">Topic workers, or brokers serving groups.</param>
/// <param name="ListSeconds">Group pass only: time of the ListGroups/DescribeGroups step.</param>
internal sealed record PassResult(double Seconds, int Done, int Total, int Errors, int Workers, double ListSeconds)
{
    public bool Complete => Done >= Total;

    /// <summary>The measured time, or the time at the measured rate for all items when the budget cut the pass short.</summary>
    public double EstimatedSeconds => Complete || Done == 0
        ? Seconds
        : ListSeconds + ((Seconds - ListSeconds) * Total / Done);
}

internal sealed record BaselineResult(string Variant, double MetadataSeconds, PassResult TopicPass, PassResult GroupPass, double MeasuredSeconds)
{
    public bool Extrapolated => !TopicPass.Complete || !GroupPass.Complete;

    public double EstimatedSeconds => MetadataSeconds + TopicPass.EstimatedSeconds + GroupPass.EstimatedSeconds;
}
