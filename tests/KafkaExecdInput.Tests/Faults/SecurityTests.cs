using System.Diagnostics;
using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// Fault matrix, security: TLS verification on by default and off only when asked (with one W!),
/// SASL PLAIN and SCRAM, mutual TLS, and the failures a user meets when setting these up — wrong
/// password, unknown CA, wrong host name: one clear E! line per gather, no flood, no tight
/// reconnect loop (connections counted at the cluster), and no secret in anything the plugin writes.
/// </summary>
public sealed class SecurityTests(ITestOutputHelper output)
{
    private const string User = "monitor";
    private const string Password = "s3cret-Pa55word-that-must-not-leak";

    /// <summary>
    /// librdkafka reconnects after 100 ms, doubling up to 10 s, and tries a down cluster about once a
    /// second while idle. So a gather a second fails with about five connections per broker per gather,
    /// plus about one a second while idle; a reconnect loop without backoff would make thousands.
    /// </summary>
    private const int MaxConnectionsPerBrokerPerGather = 10;

    private const int MaxIdleConnectionsPerSecond = 4;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(1.5);

    [Theory]
    [InlineData("PLAIN", false)]
    [InlineData("SCRAM-SHA-256", false)]
    [InlineData("SCRAM-SHA-512", true)]
    public async Task Sasl_mechanisms_authenticate_and_gather_completely(string mechanism, bool tls)
    {
        await using var cluster = FaultCluster.Start(new ClusterOptions
        {
            Security = new ClusterSecurity
            {
                Tls = tls,
                SaslMechanisms = [mechanism],
                Users = new Dictionary<string, string> { [User] = Password },
            },
        });
        using var config = cluster.Config($"""
              sasl_mechanism = "{mechanism}"
              sasl_username = "{User}"
              sasl_password = "{Password}"
            {(tls ? $"  tls_ca = \"{cluster.Cluster.Tls!.CaPemPath}\"" : "")}
            """);
        await using var session = FaultSession.Start(config, output);

        cluster.AssertComplete(await session.GatherAsync());

        var stderr = await session.StopAsync();
        Assert.DoesNotContain(stderr, l => l.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mutual_tls_with_a_client_certificate_gathers_completely_and_without_one_is_refused()
    {
        await using var cluster = FaultCluster.Start(new ClusterOptions
        {
            Security = new ClusterSecurity { Tls = true, RequireClientCertificate = true },
        });
        var tls = cluster.Cluster.Tls!;
        using var withCertificate = cluster.Config($"""
              tls_ca = "{tls.CaPemPath}"
              tls_cert = "{tls.ClientCertPemPath}"
              tls_key = "{tls.ClientKeyPemPath}"
            """);
        await using (var session = FaultSession.Start(withCertificate, output))
        {
            cluster.AssertComplete(await session.GatherAsync());
            await session.StopAsync();
        }

        using var withoutCertificate = cluster.Config($"""  tls_ca = "{tls.CaPemPath}" """);
        await using (var session = FaultSession.Start(withoutCertificate, output))
        {
            var refused = await session.GatherAsync();
            Assert.True(refused.Partial, refused.ToString());
            Assert.Equal(0, refused.Collector.Int("lines"));
            await session.StopAsync();
        }
    }

    [Fact]
    public async Task Tls_certificates_are_verified_by_default()
    {
        await using var cluster = FaultCluster.Start(new ClusterOptions { Security = new ClusterSecurity { Tls = true } });

        // TLS on, but the cluster's CA not given: the system's CAs do not know it.
        using var config = cluster.Config("  enable_tls = true");
        var (gathers, stderr) = await GatherFailingAsync(cluster.Cluster, config);

        Assert.All(gathers, g => Assert.Equal(0, g.Collector.Int("lines")));
        AssertOneClearErrorPerGather(stderr, gathers.Count, "certificate");
        Assert.DoesNotContain(stderr, l => l.StartsWith("W! ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Insecure_skip_verify_must_be_asked_for_and_says_so_once()
    {
        await using var cluster = FaultCluster.Start(new ClusterOptions { Security = new ClusterSecurity { Tls = true } });
        using var config = cluster.Config("  insecure_skip_verify = true");
        await using var session = FaultSession.Start(config, output);

        for (var gather = 0; gather < 3; gather++)
        {
            cluster.AssertComplete(await session.GatherAsync());
        }

        var stderr = await session.StopAsync();
        var warning = Assert.Single(stderr, l => l.StartsWith("W! ", StringComparison.Ordinal));
        Assert.Contains("insecure_skip_verify", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_ca_is_one_clear_error_per_gather_without_a_reconnect_storm()
    {
        await using var cluster = FaultCluster.Start(new ClusterOptions { Security = new ClusterSecurity { Tls = true } });
        await using var other = TestCluster.Start(new ClusterOptions { Brokers = 1, Security = new ClusterSecurity { Tls = true } });
        using var config = cluster.Config($"""  tls_ca = "{other.Tls!.CaPemPath}" """);

        var (gathers, stderr) = await GatherFailingAsync(cluster.Cluster, config);

        Assert.All(gathers, g => Assert.Equal(0, g.Collector.Int("lines")));
        AssertOneClearErrorPerGather(stderr, gathers.Count, "certificate");
    }

    [Fact]
    public async Task A_broker_name_its_certificate_does_not_carry_is_refused_unless_the_host_check_is_turned_off()
    {
        await using var cluster = FaultCluster.Start(new ClusterOptions { Security = new ClusterSecurity { Tls = true } });
        // 127.0.0.2 reaches broker 1, whose certificate names only 127.0.0.1 and localhost.
        await using var forwarder = new TcpForwarder(cluster.Cluster.BrokerAddress(1));
        var ca = $"""  tls_ca = "{cluster.Cluster.Tls!.CaPemPath}" """;
        using var config = new PluginConfigFile(forwarder.Address, ca, timeout: "3s", requestTimeout: "1s");

        var (gathers, stderr) = await GatherFailingAsync(cluster.Cluster, config);

        Assert.All(gathers, g => Assert.Equal(0, g.Collector.Int("lines")));
        AssertOneClearErrorPerGather(stderr, gathers.Count, "certificate");
        Assert.All(stderr.Where(l => l.StartsWith("E! ", StringComparison.Ordinal)), l => Assert.Contains("host", l, StringComparison.Ordinal));

        // The same CA with the host-name check off works: it was the name that was refused.
        using var hostUnchecked = new PluginConfigFile(forwarder.Address, ca, librdkafka: "\"ssl.endpoint.identification.algorithm\" = \"none\"",
            timeout: "3s", requestTimeout: "1s");
        await using var session = FaultSession.Start(hostUnchecked, output);
        cluster.AssertComplete(await session.GatherAsync());
        await session.StopAsync();
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-512")]
    public async Task A_wrong_password_is_one_clear_error_per_gather_without_a_reconnect_storm_or_the_password_in_any_output(string mechanism)
    {
        await using var cluster = FaultCluster.Start(new ClusterOptions
        {
            Security = new ClusterSecurity { SaslMechanisms = [mechanism], Users = new Dictionary<string, string> { [User] = "the-right-one" } },
        });
        // The password comes from the environment, as the sample config suggests; debug logging is on.
        using var config = cluster.Config($"""
              sasl_mechanism = "{mechanism}"
              sasl_username = "{User}"
              sasl_password = "$KAFKA_TEST_PASSWORD"
              log_level = "debug"
            """);

        var (gathers, stderr) = await GatherFailingAsync(
            cluster.Cluster, config, new Dictionary<string, string> { ["KAFKA_TEST_PASSWORD"] = Password });

        Assert.All(gathers, g => Assert.Equal(0, g.Collector.Int("lines")));
        AssertOneClearErrorPerGather(stderr, gathers.Count, "uthentication");
        Assert.DoesNotContain(stderr, l => l.Contains(Password, StringComparison.Ordinal));
        Assert.DoesNotContain(gathers, g => g.Text.Contains(Password, StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs a plugin whose every gather fails, a gather a second for <see cref="Window"/>, then lets it
    /// idle for <see cref="IdleWindow"/>, and checks the connections the cluster accepted meanwhile.
    /// Returns the gathers and all of stderr.
    /// </summary>
    private async Task<(IReadOnlyList<Gather> Gathers, IReadOnlyList<string> Stderr)> GatherFailingAsync(
        TestCluster cluster, PluginConfigFile config, IReadOnlyDictionary<string, string>? environment = null)
    {
        cluster.Counters.Reset();
        var started = Stopwatch.GetTimestamp();
        await using var session = FaultSession.Start(config, output, environment);
        while (Stopwatch.GetElapsedTime(started) < Window)
        {
            var gather = await session.GatherAsync();
            Assert.True(gather.Partial, gather.ToString());
            var pause = TimeSpan.FromSeconds(1) - gather.Elapsed;
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
        var whileGathering = cluster.Counters.Connections();
        await Task.Delay(IdleWindow);
        var whileIdle = cluster.Counters.Connections() - whileGathering;
        var gathers = session.Gathers.Count;
        output.WriteLine($"connections: {whileGathering} in {gathers} failing gathers to {cluster.BrokerIds.Count} brokers, then {whileIdle} in {IdleWindow.TotalSeconds}s idle; " +
            $"per broker {string.Join("/", cluster.BrokerIds.Select(id => cluster.Counters.Connections(id)))}");

        Assert.True(whileGathering <= MaxConnectionsPerBrokerPerGather * cluster.BrokerIds.Count * gathers,
            $"{whileGathering} connections in {gathers} gathers to {cluster.BrokerIds.Count} brokers");
        Assert.True(whileIdle <= MaxIdleConnectionsPerSecond * IdleWindow.TotalSeconds,
            $"{whileIdle} connections in {IdleWindow.TotalSeconds}s while idle");
        return (session.Gathers, await session.StopAsync());
    }

    /// <summary>Exactly one E! line per gather, each naming the cause, and nothing else at error level.</summary>
    private static void AssertOneClearErrorPerGather(IReadOnlyList<string> stderr, int gathers, string cause)
    {
        var errors = stderr.Where(l => l.StartsWith("E! ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == gathers, $"{errors.Count} E! lines for {gathers} gathers:\n{string.Join('\n', stderr)}");
        Assert.All(errors, e => Assert.Contains(cause, e, StringComparison.Ordinal));
    }
}
