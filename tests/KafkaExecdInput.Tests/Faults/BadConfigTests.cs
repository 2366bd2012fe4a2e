using System.Diagnostics;
using KafkaExecdInput.Tests.EndToEnd;
using KafkaExecdInput.Tests.Support;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// Bad configurations through the real executable, as Telegraf would start it: each one is a single
/// E! line that names the file, the line where there is one, and the key - and exit code 2, quickly,
/// with nothing on stdout. (The loader's rules are unit-tested in UnitTests/Configuration; this table
/// proves what reaches the user.) No secret from the file or the environment appears in any output.
/// </summary>
public sealed class BadConfigTests(ITestOutputHelper output)
{
    private const string Secret = "Zq8-hunter2-secret-value";

    private const string Brokers = "brokers = [\"127.0.0.1:9\"]";

    /// <summary>(case, file text, what the one message must name). The table's body goes inside [[inputs.kafka]].</summary>
    public static TheoryData<string, string, string> BadConfigs() => new()
    {
        { "no brokers", Table("client_id = \"monitor\""), "inputs.kafka.brokers" },
        { "empty broker list", Table("brokers = []"), "inputs.kafka.brokers" },
        { "brokers not a list", Table("brokers = \"kafka1:9092\""), "inputs.kafka.brokers" },
        { "broker without port", Table("brokers = [\"kafka1\"]"), "inputs.kafka.brokers[0]" },
        { "broker port out of range", Table("brokers = [\"kafka1:99999\"]"), "inputs.kafka.brokers[0]" },
        { "unknown key", Table(Brokers, "brokerz = [\"kafka1:9092\"]"), "inputs.kafka.brokerz" },
        { "librdkafka property in the plugin table", Table(Brokers, "socket.timeout.ms = 10"), "inputs.kafka.socket.timeout.ms" },
        { "invalid topic regex", Table(Brokers, "topic_include = [\"orders(\"]"), "inputs.kafka.topic_include[0]" },
        { "invalid group regex", Table(Brokers, "group_exclude = [\"[a-\"]"), "inputs.kafka.group_exclude[0]" },
        { "missing TLS CA file", Table(Brokers, "tls_ca = \"/nonexistent/ca.pem\""), "inputs.kafka.tls_ca" },
        { "client certificate without key", Table(Brokers, "tls_cert = \"plugin.conf\""), "inputs.kafka.tls_cert" },
        { "missing keytab", Table(Brokers, "sasl_mechanism = \"GSSAPI\"", "sasl_username = \"monitor\"", "sasl_gssapi_key_tab_path = \"/nonexistent/monitor.keytab\""), "inputs.kafka.sasl_gssapi_key_tab_path" },
        { "unknown SASL mechanism", Table(Brokers, "sasl_mechanism = \"KERBEROS\""), "inputs.kafka.sasl_mechanism" },
        { "PLAIN without password", Table(Brokers, "sasl_mechanism = \"PLAIN\"", "sasl_username = \"monitor\""), "inputs.kafka.sasl_password" },
        { "password without mechanism", Table(Brokers, $"sasl_password = \"{Secret}\""), "inputs.kafka.sasl_password" },
        { "OAUTHBEARER without token or OIDC", Table(Brokers, "sasl_mechanism = \"OAUTHBEARER\""), "inputs.kafka.sasl_mechanism" },
        { "OIDC endpoint not a URL", Table(Brokers, "sasl_mechanism = \"OAUTHBEARER\"", "sasl_oauthbearer_client_id = \"monitor\"", $"sasl_oauthbearer_client_secret = \"{Secret}\"", "sasl_oauthbearer_token_endpoint_url = \"idp/token\""), "inputs.kafka.sasl_oauthbearer_token_endpoint_url" },
        { "negative timeout", Table(Brokers, "timeout = \"-5s\""), "inputs.kafka.timeout" },
        { "zero timeout", Table(Brokers, "timeout = \"0s\""), "inputs.kafka.timeout" },
        { "zero request timeout", Table(Brokers, "request_timeout = 0"), "inputs.kafka.request_timeout" },
        { "request timeout longer than timeout", Table(Brokers, "timeout = \"2s\"", "request_timeout = \"5s\""), "inputs.kafka.request_timeout" },
        { "duration without unit", Table(Brokers, "timeout = \"10\""), "inputs.kafka.timeout" },
        { "negative interval", Table(Brokers, "interval = \"-1m\""), "inputs.kafka.interval" },
        { "boolean as string", Table(Brokers, "insecure_skip_verify = \"yes\""), "inputs.kafka.insecure_skip_verify" },
        { "integer as string", Table(Brokers, "max_concurrent_requests = \"8\""), "inputs.kafka.max_concurrent_requests" },
        { "concurrency zero", Table(Brokers, "max_concurrent_requests = 0"), "inputs.kafka.max_concurrent_requests" },
        { "unknown log level", Table(Brokers, "log_level = \"verbose\""), "inputs.kafka.log_level" },
        { "undefined environment variable", Table(Brokers, "client_id = \"$KAFKA_EXECD_TEST_UNDEFINED\""), "KAFKA_EXECD_TEST_UNDEFINED" },
        { "TOML: unterminated string", Table(Brokers, "timeout = \"10s"), "plugin.conf:3:" },
        { "TOML: unclosed array", Table("brokers = [\"127.0.0.1:9\","), "plugin.conf:" },
        { "TOML: single-bracket table", "[inputs.kafka]\n" + Brokers + "\n", "[[inputs.kafka]]" },
        { "two plugin tables", Table(Brokers) + Table(Brokers), "[[inputs.kafka]]" },
        { "value librdkafka rejects", Table(Brokers) + "[inputs.kafka.librdkafka]\n\"metadata.max.age.ms\" = \"soon\"\n", "metadata.max.age.ms" },
        { "shard not k/n", Table(Brokers, "shard = \"2-8\""), "inputs.kafka.shard" },
        { "shard k > n", Table(Brokers, "shard = \"9/8\""), "inputs.kafka.shard" },
        { "shard n = 0", Table(Brokers, "shard = \"0/0\""), "inputs.kafka.shard" },
        { "both ways of sharding", Table(Brokers, "shard = \"1/2\"", "shard_by_broker = 1"), "inputs.kafka.shard_by_broker" },
        { "unknown metric family", Table(Brokers, "exclude_metrics = [\"topic_config\", \"topic_configs\"]"), "inputs.kafka.exclude_metrics[1]" },
        { "self-metric excluded", Table(Brokers, "exclude_metrics = [\"collector\"]"), "inputs.kafka.exclude_metrics[0]" },
        { "topic config key not a key", Table(Brokers, "topic_configs = [\"retention ms\"]"), "inputs.kafka.topic_configs[0]" },
        { "topic config interval without unit", Table(Brokers, "topic_config_interval = \"5\""), "inputs.kafka.topic_config_interval" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task A_bad_configuration_is_one_error_naming_the_key_and_exit_2(string name, string text, string named)
    {
        using var config = PluginConfigFile.FromText(text);
        var started = Stopwatch.GetTimestamp();

        var run = await PluginProcess.RunAsync(["--config", config.Path], limit: TimeSpan.FromSeconds(20));

        output.WriteLine($"{name}: exit {run.ExitCode} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00}s: {run.StderrText}");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Empty(run.Stdout);
        var line = Assert.Single(run.Stderr);
        Assert.StartsWith("E! ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(config.Path, line, StringComparison.Ordinal);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "a configuration error must not wait for Kafka");
    }

    /// <summary>Configurations that fail next to a secret, read at log_level = "debug".</summary>
    public static TheoryData<string, string> FailingNextToASecret() => new()
    {
        { "syntax error inside the password", Table(Brokers, "log_level = \"debug\"", "sasl_mechanism = \"PLAIN\"", "sasl_username = \"u\"", $"sasl_password = \"{Secret}\\q\"") },
        { "unterminated password", Table(Brokers, "log_level = \"debug\"", "sasl_mechanism = \"PLAIN\"", "sasl_username = \"u\"", $"sasl_password = \"{Secret}") },
        { "password given twice", Table(Brokers, "log_level = \"debug\"", "sasl_mechanism = \"PLAIN\"", "sasl_username = \"u\"", $"sasl_password = \"{Secret}\"", $"sasl_password = \"{Secret}\"") },
        { "password of the wrong type", Table(Brokers, "log_level = \"debug\"", "sasl_mechanism = \"PLAIN\"", "sasl_username = \"u\"", $"sasl_password = [\"{Secret}\"]") },
        { "misspelt password key", Table(Brokers, "log_level = \"debug\"", $"sasl_pasword = \"{Secret}\"") },
        { "password from the environment breaking a literal string", Table(Brokers, "log_level = \"debug\"", "sasl_mechanism = \"PLAIN\"", "sasl_username = \"u\"", "sasl_password = '$KAFKA_EXECD_TEST_SECRET'") },
        { "librdkafka rejecting the client with a password set", Table(Brokers, "log_level = \"debug\"", "sasl_mechanism = \"PLAIN\"", "sasl_username = \"u\"", "sasl_password = \"$KAFKA_EXECD_TEST_SECRET\"") + "[inputs.kafka.librdkafka]\n\"socket.timeout.ms\" = \"soon\"\n" },
        { "secret passthrough property given twice", Table(Brokers, "log_level = \"debug\"") + $"[inputs.kafka.librdkafka]\n\"ssl.keystore.password\" = \"{Secret}\"\n\"ssl.keystore.password\" = \"{Secret}\"\n" },
    };

    [Theory]
    [MemberData(nameof(FailingNextToASecret))]
    public async Task No_secret_appears_in_what_a_failing_configuration_writes(string name, string text)
    {
        using var config = PluginConfigFile.FromText(text);

        // The environment's copy ends in a quote, so that it breaks a literal string it is put into.
        var run = await PluginProcess.RunAsync(["--config", config.Path],
            new Dictionary<string, string> { ["KAFKA_EXECD_TEST_SECRET"] = Secret + "'" }, TimeSpan.FromSeconds(20));

        output.WriteLine($"{name}: exit {run.ExitCode}: {run.StderrText}");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.NotEmpty(run.Stderr);
        Assert.All(run.Stderr, ExecdContractTests.AssertTelegrafLogLine);
        Assert.DoesNotContain("hunter2", run.StderrText, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Stdout, StringComparison.Ordinal);
    }

    private static string Table(params string[] lines) => "[[inputs.kafka]]\n" + string.Join('\n', lines) + "\n";
}
