using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaTestCluster;

namespace KafkaExecdInput.Benchmarks.Latency;

/// <summary>
/// The <c>nagle</c> command: issue 11's kcat observation, repeated with the plugin's client. Against a one-broker
/// test cluster that delays every response by 20 ms, two admin offset fetches are started together on an idle,
/// connected client (each is a FindCoordinator and then an OffsetFetch, so the pair puts two small requests on
/// the wire back to back, twice); the time until each completes is taken with Nagle's algorithm on (librdkafka's
/// default) and off (<c>socket.nagle.disable=true</c>), in alternating rounds.
/// </summary>
internal static class NagleProbe
{
    public const string Mode = "nagle";

    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(20);

    /// <summary>Longer than Linux's delayed-ACK timer, so every round starts from an idle connection.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    public static int ParseRounds(IReadOnlyList<string> args) =>
        args is ["--rounds", var n, ..] ? int.Parse(n, BenchJson.Culture) : 20;

    public static async Task<int> RunAsync(int rounds)
    {
        await using var cluster = TestCluster.Start(new ClusterOptions { Brokers = 1, NetworkRoundTrip = RoundTrip });
        cluster.CreateTopic("t", 1, replicationFactor: 1);
        cluster.CommitOffset("g1", "t", 0, 1);
        cluster.CommitOffset("g2", "t", 0, 2);

        var clients = new[] { (Name: "Nagle on (librdkafka default)", Disable: false), (Name: "socket.nagle.disable=true", Disable: true) }
            .Select(v => (v.Name, Admin: new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                SocketNagleDisable = v.Disable,
            }).Build(), First: new List<double>(), Second: new List<double>()))
            .ToList();
        try
        {
            foreach (var (_, admin, _, _) in clients)
            {
                await PairAsync(admin).ConfigureAwait(false); // connects and learns the coordinator
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var (_, admin, first, second) in clients)
                {
                    await Task.Delay(Pause).ConfigureAwait(false);
                    var (a, b) = await PairAsync(admin).ConfigureAwait(false);
                    first.Add(Math.Min(a, b));
                    second.Add(Math.Max(a, b));
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Admin.Dispose());
        }

        Console.Out.WriteLine(FormattableString.Invariant($"Two concurrent ListConsumerGroupOffsetsAsync calls (one group each) at a {RoundTrip.TotalMilliseconds} ms round trip, {rounds} rounds; ms until each completed (median / max):"));
        Console.Out.WriteLine();
        Console.Out.WriteLine("| client | first | second |");
        Console.Out.WriteLine("|---|---:|---:|");
        foreach (var (name, _, first, second) in clients)
        {
            Console.Out.WriteLine(FormattableString.Invariant($"| {name} | {Stats.Median(first):F1} / {first.Max():F1} | {Stats.Median(second):F1} / {second.Max():F1} |"));
        }

        Console.Out.WriteLine();
        // librdkafka caches the coordinator, so after the first pair each call is one OffsetFetch: one round trip.
        Console.Out.WriteLine(FormattableString.Invariant($"Requests seen by the cluster over {2 * 2 * (rounds + 1)} calls: FindCoordinator {cluster.Counters.Requests(ApiKey.FindCoordinator):N0}, OffsetFetch {cluster.Counters.Requests(ApiKey.OffsetFetch):N0}."));
        return 0;
    }

    private static async Task<(double A, double B)> PairAsync(IAdminClient admin)
    {
        var watch = Stopwatch.StartNew();
        async Task<double> One(string group)
        {
            await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]).ConfigureAwait(false);
            return watch.Elapsed.TotalMilliseconds;
        }

        var a = One("g1");
        var b = One("g2");
        return (await a.ConfigureAwait(false), await b.ConfigureAwait(false));
    }
}
