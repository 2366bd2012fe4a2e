using KafkaExecdInput.Configuration;
using KafkaExecdInput.UnitTests.Support;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Error(string toml, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Single(_dir.Errors(toml, environment));

    [Fact]
    public void A_minimal_file_gets_every_default()
    {
        PluginConfig config = _dir.Load("""
            [[inputs.kafka]]
              brokers = ["kafka1:9092", "kafka2:9092"]
            """);

        Assert.Equal(["kafka1:9092", "kafka2:9092"], config.Brokers);
        Assert.Equal("kafka-execd-input", config.ClientId);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), config.RequestTimeout);
        Assert.Null(config.Interval);
        Assert.Equal(256, config.MaxConcurrentRequests);
        Assert.Equal(LogLevel.Information, config.LogLevel);
        Assert.Equal(TlsSettings.Disabled, config.Tls);
        Assert.Equal(SaslSettings.None, config.Sasl);
        Assert.True(config.TopicFilter.IncludesEverything);
        Assert.True(config.GroupFilter.IncludesEverything);
        Assert.Empty(config.Librdkafka);
        Assert.Equal(PluginConfig.ForBrokers("kafka1:9092", "kafka2:9092"), config);
    }

    [Fact]
    public void Reads_every_general_option()
    {
        PluginConfig config = _dir.Load("""
            [[inputs.kafka]]
              brokers = ["[::1]:9092"]
              client_id = "monitor-1"
              topic_include = ["^app-", "orders"]
              topic_exclude = ["-internal$"]
              group_include = ["svc"]
              group_exclude = ["^console-consumer-"]
              timeout = "1m30s"
              request_timeout = 2.5
              interval = 30
              max_concurrent_requests = 16
              log_level = "DEBUG"
            """);

        Assert.Equal("monitor-1", config.ClientId);
        Assert.Equal(["^app-", "orders"], config.TopicFilter.Include);
        Assert.Equal(["-internal$"], config.TopicFilter.Exclude);
        Assert.True(config.TopicFilter.IsIncluded("app-orders"));
        Assert.False(config.TopicFilter.IsIncluded("app-orders-internal"));
        Assert.False(config.GroupFilter.IsIncluded("console-consumer-7"));
        Assert.Equal(TimeSpan.FromSeconds(90), config.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), config.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Interval);
        Assert.Equal(16, config.MaxConcurrentRequests);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
    }

    [Theory]
    [InlineData("error", LogLevel.Error)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("trace", LogLevel.Trace)]
    public void Reads_each_log_level(string name, LogLevel expected)
    {
        Assert.Equal(expected, _dir.Load($"[[inputs.kafka]]\nbrokers = [\"k:1\"]\nlog_level = \"{name}\"\n").LogLevel);
    }

    [Fact]
    public void Reads_tls_files_relative_to_the_config_folder_and_enables_tls()
    {
        _dir.AddFile("ca.pem");
        _dir.AddFile("client.pem");
        _dir.AddFile("client.key");

        PluginConfig config = _dir.Load("""
            [[inputs.kafka]]
              brokers = ["k:9093"]
              tls_ca = "ca.pem"
              tls_cert = "client.pem"
              tls_key = "client.key"
              tls_key_pwd = "hunter2"
            """);

        Assert.Equal(
            new TlsSettings(true, Path.Combine(_dir.Path, "ca.pem"), Path.Combine(_dir.Path, "client.pem"), Path.Combine(_dir.Path, "client.key"), "hunter2"),
            config.Tls);
    }

    [Theory]
    [InlineData("insecure_skip_verify = true", true)]
    [InlineData("enable_tls = true", true)]
    [InlineData("enable_tls = false\ninsecure_skip_verify = true", false)]
    [InlineData("", false)]
    public void Tls_is_enabled_explicitly_or_by_any_tls_option(string options, bool enabled)
    {
        Assert.Equal(enabled, _dir.Load($"[[inputs.kafka]]\nbrokers = [\"k:1\"]\n{options}\n").Tls.Enabled);
    }

    [Theory]
    [InlineData("PLAIN", nameof(SaslMechanism.Plain))]
    [InlineData("scram-sha-256", nameof(SaslMechanism.ScramSha256))]
    [InlineData("SCRAM-SHA-512", nameof(SaslMechanism.ScramSha512))]
    public void Reads_username_and_password_mechanisms(string name, string expected)
    {
        SaslMechanism mechanism = Enum.Parse<SaslMechanism>(expected);
        PluginConfig config = _dir.Load($"""
            [[inputs.kafka]]
              brokers = ["k:1"]
              sasl_mechanism = "{name}"
              sasl_username = "monitor"
              sasl_password = "s3cret"
            """);

        Assert.Equal(new SaslSettings(mechanism, "monitor", "s3cret"), config.Sasl);
    }

    [Fact]
    public void Reads_gssapi_settings()
    {
        string keytab = _dir.AddFile("monitor.keytab");
        string krb5 = _dir.AddFile("krb5.conf");

        PluginConfig config = _dir.Load($"""
            [[inputs.kafka]]
              brokers = ["k:1"]
              sasl_mechanism = "GSSAPI"
              sasl_username = "monitor"
              sasl_gssapi_service_name = "kafka-prod"
              sasl_gssapi_key_tab_path = "{keytab}"
              sasl_gssapi_kerberos_config_path = "krb5.conf"
              sasl_gssapi_realm = "EXAMPLE.COM"
            """);

        Assert.Equal(SaslMechanism.Gssapi, config.Sasl.Mechanism);
        Assert.Equal("monitor", config.Sasl.Username);
        Assert.Equal(new KerberosSettings("kafka-prod", keytab, krb5, "EXAMPLE.COM"), config.Sasl.Kerberos);
    }

    [Fact]
    public void Gssapi_defaults_the_service_name_to_kafka()
    {
        PluginConfig config = _dir.Load("[[inputs.kafka]]\nbrokers = [\"k:1\"]\nsasl_mechanism = \"GSSAPI\"\n");

        Assert.Equal(new KerberosSettings("kafka"), config.Sasl.Kerberos);
        Assert.Null(config.Sasl.Username);
    }

    [Fact]
    public void Reads_a_static_oauth_token()
    {
        PluginConfig config = _dir.Load("""
            [[inputs.kafka]]
              brokers = ["k:1"]
              sasl_mechanism = "OAUTHBEARER"
              sasl_access_token = "eyJ.token"
            """);

        Assert.Equal(new OAuthBearerSettings(AccessToken: "eyJ.token"), config.Sasl.OAuthBearer);
        Assert.False(config.Sasl.OAuthBearer.UsesOidc);
    }

    [Fact]
    public void Reads_oidc_client_credentials()
    {
        PluginConfig config = _dir.Load("""
            [[inputs.kafka]]
              brokers = ["k:1"]
              sasl_mechanism = "OAUTHBEARER"
              sasl_oauthbearer_client_id = "monitor"
              sasl_oauthbearer_client_secret = "oidc-secret"
              sasl_oauthbearer_token_endpoint_url = "https://idp.example.com/token"
              sasl_oauthbearer_scope = "kafka"
            """);

        Assert.Equal(new OAuthBearerSettings(null, "monitor", "oidc-secret", "https://idp.example.com/token", "kafka"), config.Sasl.OAuthBearer);
        Assert.True(config.Sasl.OAuthBearer.UsesOidc);
    }

    [Fact]
    public void Reads_librdkafka_passthrough_in_its_string_form()
    {
        PluginConfig config = _dir.Load("""
            [[inputs.kafka]]
              brokers = ["k:1"]
              librdkafka.topic.metadata.refresh.interval.ms = 60000

            [inputs.kafka.librdkafka]
              socket.timeout.ms = 30000
              "api.version.request" = true
              "socket.connection.setup.timeout.ms" = 1.5e4
              debug = ["broker", "protocol"]
              "ssl.cipher.suites" = "ECDHE-RSA-AES256-GCM-SHA384"
            """);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["topic.metadata.refresh.interval.ms"] = "60000",
                ["socket.timeout.ms"] = "30000",
                ["api.version.request"] = "true",
                ["socket.connection.setup.timeout.ms"] = "15000",
                ["debug"] = "broker,protocol",
                ["ssl.cipher.suites"] = "ECDHE-RSA-AES256-GCM-SHA384",
            },
            config.Librdkafka);
    }

    [Fact]
    public void Reads_librdkafka_passthrough_as_an_inline_table()
    {
        PluginConfig config = _dir.Load("""
            [[inputs.kafka]]
              brokers = ["k:1"]
              librdkafka = { "socket.keepalive.enable" = true, "reconnect.backoff.ms" = 200 }
            """);

        Assert.Equal("true", config.Librdkafka["socket.keepalive.enable"]);
        Assert.Equal("200", config.Librdkafka["reconnect.backoff.ms"]);
    }

    [Fact]
    public void Expands_environment_variables_before_parsing()
    {
        PluginConfig config = _dir.Load(
            """
            [[inputs.kafka]]
              brokers = ["${KAFKA_HOST}:9092", "$KAFKA_HOST2:9092"]
              sasl_mechanism = "PLAIN"
              sasl_username = "$USER_NAME"
              sasl_password = "${PASSWORD}"
              max_concurrent_requests = $CONCURRENCY
              client_id = "cost$$center"
            """,
            new Dictionary<string, string>
            {
                ["KAFKA_HOST"] = "kafka1",
                ["KAFKA_HOST2"] = "kafka2",
                ["USER_NAME"] = "monitor",
                ["PASSWORD"] = "p\"a\\s$s",
                ["CONCURRENCY"] = "4",
            });

        Assert.Equal(["kafka1:9092", "kafka2:9092"], config.Brokers);
        Assert.Equal("p\"a\\s$s", config.Sasl.Password);
        Assert.Equal(4, config.MaxConcurrentRequests);
        Assert.Equal("cost$center", config.ClientId);
    }

    // ---- errors ----

    [Fact]
    public void A_missing_file_is_one_error_naming_it()
    {
        string path = Path.Combine(_dir.Path, "nope.conf");

        ConfigException exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, _ => null));

        Assert.StartsWith($"{path}: cannot read the configuration file: ", Assert.Single(exception.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_instead_of_a_file_is_one_error_naming_it()
    {
        ConfigException exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_dir.Path, _ => null));

        Assert.StartsWith($"{_dir.Path}: cannot read the configuration file: ", Assert.Single(exception.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_a_byte_order_mark_and_windows_line_endings()
    {
        File.WriteAllText(_dir.ConfigPath, "\uFEFF[[inputs.kafka]]\r\n  brokers = [\"k:1\"]\r\n  timeout = \"3s\"\r\n", System.Text.Encoding.UTF8);

        PluginConfig config = ConfigLoader.Load(_dir.ConfigPath, _ => null);

        Assert.Equal(TimeSpan.FromSeconds(3), config.Timeout);
    }

    [Fact]
    public void An_unset_request_timeout_follows_a_shorter_timeout()
    {
        PluginConfig config = _dir.Load("[[inputs.kafka]]\nbrokers = [\"k:1\"]\ntimeout = \"2s\"\n");

        Assert.Equal(TimeSpan.FromSeconds(2), config.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.RequestTimeout);
    }

    [Fact]
    public void Line_numbers_stay_right_with_windows_line_endings()
    {
        Assert.Equal(
            $"{_dir.ConfigPath}:3: inputs.kafka.timeout: \"-5s\" is not a positive duration",
            Error("[[inputs.kafka]]\r\nbrokers = [\"k:1\"]\r\ntimeout = \"-5s\"\r\n"));
    }

    [Fact]
    public void A_negative_duration_names_file_line_and_key()
    {
        Assert.Equal(
            $"{_dir.ConfigPath}:3: inputs.kafka.timeout: \"-5s\" is not a positive duration",
            Error("[[inputs.kafka]]\nbrokers = [\"k:1\"]\ntimeout = \"-5s\"\n"));
    }

    [Theory]
    [InlineData("timeout = \"0s\"", "inputs.kafka.timeout: \"0s\" is not a positive duration")]
    [InlineData("timeout = \"10\"", "inputs.kafka.timeout: \"10\" has a number without a unit (write e.g. \"10s\")")]
    [InlineData("timeout = \"ten seconds\"", "inputs.kafka.timeout: \"ten seconds\" is not a duration (write e.g. \"10s\", \"500ms\", \"1m30s\")")]
    [InlineData("timeout = \"5d\"", "inputs.kafka.timeout: \"5d\" has an unknown unit \"d\" (use ns, us, ms, s, m or h)")]
    [InlineData("timeout = \"100us\"", "inputs.kafka.timeout: \"100us\" is shorter than 1ms")]
    [InlineData("interval = \"25h\"", "inputs.kafka.interval: \"25h\" is longer than 24h")]
    [InlineData("interval = 0", "inputs.kafka.interval: 0 is not a positive duration")]
    [InlineData("timeout = true", "inputs.kafka.timeout: expected a duration such as \"10s\", got a boolean")]
    [InlineData("request_timeout = \"20s\"", "inputs.kafka.request_timeout: 20s is longer than timeout (the default 10s); one request cannot outlast the whole gather")]
    [InlineData("max_concurrent_requests = 0", "inputs.kafka.max_concurrent_requests: 0 is not between 1 and 1000")]
    [InlineData("max_concurrent_requests = \"8\"", "inputs.kafka.max_concurrent_requests: expected an integer, got a string")]
    [InlineData("log_level = \"verbose\"", "inputs.kafka.log_level: \"verbose\" is not one of \"error\", \"warn\", \"info\", \"debug\", \"trace\"")]
    [InlineData("insecure_skip_verify = \"yes\"", "inputs.kafka.insecure_skip_verify: expected true or false, got a string")]
    [InlineData("client_id = 7", "inputs.kafka.client_id: expected a string, got an integer")]
    [InlineData("topic_include = \"^app\"", "inputs.kafka.topic_include: expected an array of strings, got a string")]
    [InlineData("sasl_mechanism = \"KERBEROS\"", "inputs.kafka.sasl_mechanism: \"KERBEROS\" is not one of \"PLAIN\", \"SCRAM-SHA-256\", \"SCRAM-SHA-512\", \"GSSAPI\", \"OAUTHBEARER\"")]
    [InlineData("client_id = \" \"", "inputs.kafka.client_id: \" \" is blank")]
    [InlineData("max_concurrent_requests = 99999999999", "inputs.kafka.max_concurrent_requests: 99999999999 is not between 1 and 1000")]
    [InlineData("sasl_oauthbearer_token_endpoint_url = \"ftp://idp/token\"", "inputs.kafka.sasl_oauthbearer_token_endpoint_url: \"ftp://idp/token\" is not an http(s) URL")]
    [InlineData("brokerz = []", "inputs.kafka.brokerz: unknown key; did you mean \"brokers\"?")]
    [InlineData("socket.timeout.ms = 10", "inputs.kafka.socket.timeout.ms: unknown key (librdkafka properties go into the [inputs.kafka.librdkafka] table)")]
    [InlineData("shard = \"2\"", "inputs.kafka.shard: \"2\" is not \"k/n\" (this agent's shard k of n, e.g. \"2/8\")")]
    [InlineData("shard = \"a/8\"", "inputs.kafka.shard: \"a/8\" is not \"k/n\" (this agent's shard k of n, e.g. \"2/8\")")]
    [InlineData("shard = \"9/8\"", "inputs.kafka.shard: \"9/8\" has k = 9: shards are numbered 1 to n (8)")]
    [InlineData("shard = \"0/8\"", "inputs.kafka.shard: \"0/8\" has k = 0: shards are numbered 1 to n (8)")]
    [InlineData("shard = \"1/0\"", "inputs.kafka.shard: \"1/0\" has n = 0: there must be at least one shard")]
    [InlineData("shard = 2", "inputs.kafka.shard: expected a string, got an integer")]
    [InlineData("shard_by_broker = -1", "inputs.kafka.shard_by_broker: -1 is not a broker id (0 or more)")]
    [InlineData("shard_by_broker = \"1\"", "inputs.kafka.shard_by_broker: expected an integer, got a string")]
    public void Reports_a_bad_value_on_its_line(string option, string expected)
    {
        Assert.Equal($"{_dir.ConfigPath}:3: {expected}", Error($"[[inputs.kafka]]\nbrokers = [\"k:1\"]\n{option}\n"));
    }

    [Theory]
    [InlineData("brokers = []", "2: inputs.kafka.brokers: must list at least one broker, e.g. [\"kafka1:9092\"]")]
    [InlineData("brokers = [\"kafka1\"]", "2: inputs.kafka.brokers[0]: \"kafka1\" has no port (write \"host:port\", e.g. \"kafka1:9092\")")]
    [InlineData("brokers = [\"k:1\", \"k:99999\"]", "2: inputs.kafka.brokers[1]: \"k:99999\" has no valid port (1-65535)")]
    [InlineData("brokers = [\"k:1\", 2]", "2: inputs.kafka.brokers[1]: expected a string, got an integer")]
    [InlineData("client_id = \"x\"", "1: inputs.kafka.brokers: is required, e.g. brokers = [\"localhost:9092\"]")]
    public void Reports_missing_or_bad_brokers(string option, string expected)
    {
        Assert.Equal($"{_dir.ConfigPath}:{expected}", Error($"[[inputs.kafka]]\n{option}\n"));
    }

    [Fact]
    public void Reports_an_invalid_regex_with_its_index()
    {
        string error = Error("[[inputs.kafka]]\nbrokers = [\"k:1\"]\ngroup_exclude = [\n  \"ok\",\n  \"(unclosed\",\n]\n");

        Assert.StartsWith($"{_dir.ConfigPath}:5: inputs.kafka.group_exclude[1]: \"(unclosed\" is not a valid regular expression: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_unreadable_tls_and_kerberos_files()
    {
        IReadOnlyList<string> errors = _dir.Errors("""
            [[inputs.kafka]]
              brokers = ["k:1"]
              tls_ca = "missing-ca.pem"
              sasl_mechanism = "GSSAPI"
              sasl_username = "u"
              sasl_gssapi_key_tab_path = "/nonexistent/dir/monitor.keytab"
              sasl_gssapi_kerberos_config_path = "."
            """);

        Assert.Equal(
            [
                $"{_dir.ConfigPath}:3: inputs.kafka.tls_ca: cannot read \"{Path.Combine(_dir.Path, "missing-ca.pem")}\": no such file",
                $"{_dir.ConfigPath}:6: inputs.kafka.sasl_gssapi_key_tab_path: cannot read \"/nonexistent/dir/monitor.keytab\": no such directory",
                $"{_dir.ConfigPath}:7: inputs.kafka.sasl_gssapi_kerberos_config_path: cannot read \"{_dir.Path}\": it is a directory",
            ],
            errors);
    }

    [Fact]
    public void A_client_certificate_needs_its_key_and_a_key_password_needs_a_key()
    {
        _dir.AddFile("client.pem");

        IReadOnlyList<string> errors = _dir.Errors("""
            [[inputs.kafka]]
              brokers = ["k:1"]
              tls_cert = "client.pem"
              tls_key_pwd = "pw"
            """);

        Assert.Equal(
            [
                $"{_dir.ConfigPath}:3: inputs.kafka.tls_cert: needs tls_key too: a client certificate and its key go together",
                $"{_dir.ConfigPath}:4: inputs.kafka.tls_key_pwd: is set but tls_key is not",
            ],
            errors);
    }

    [Theory]
    [InlineData("PLAIN", "sasl_username = \"u\"", "inputs.kafka.sasl_password: is required with sasl_mechanism = \"PLAIN\"")]
    [InlineData("SCRAM-SHA-512", "sasl_password = \"p\"", "inputs.kafka.sasl_username: is required with sasl_mechanism = \"SCRAM-SHA-512\"")]
    [InlineData("OAUTHBEARER", "", "inputs.kafka.sasl_mechanism: \"OAUTHBEARER\" needs sasl_access_token, or sasl_oauthbearer_client_id, sasl_oauthbearer_client_secret and sasl_oauthbearer_token_endpoint_url")]
    [InlineData("OAUTHBEARER", "sasl_oauthbearer_client_id = \"c\"\nsasl_oauthbearer_client_secret = \"s\"", "inputs.kafka.sasl_oauthbearer_token_endpoint_url: is required for OIDC client credentials")]
    public void Reports_missing_sasl_credentials_at_the_mechanism(string mechanism, string options, string expected)
    {
        Assert.Equal(
            $"{_dir.ConfigPath}:3: {expected}",
            Error($"[[inputs.kafka]]\nbrokers = [\"k:1\"]\nsasl_mechanism = \"{mechanism}\"\n{options}\n"));
    }

    [Fact]
    public void Reports_sasl_keys_that_the_mechanism_does_not_use()
    {
        IReadOnlyList<string> errors = _dir.Errors("""
            [[inputs.kafka]]
              brokers = ["k:1"]
              sasl_username = "u"
              sasl_gssapi_realm = "EXAMPLE.COM"
            """);

        Assert.Equal(
            [
                $"{_dir.ConfigPath}:3: inputs.kafka.sasl_username: is used only with sasl_mechanism = \"PLAIN\", \"SCRAM-SHA-256\", \"SCRAM-SHA-512\", \"GSSAPI\", but sasl_mechanism is not set",
                $"{_dir.ConfigPath}:4: inputs.kafka.sasl_gssapi_realm: is used only with sasl_mechanism = \"GSSAPI\", but sasl_mechanism is not set",
            ],
            errors);
    }

    [Fact]
    public void Gssapi_refuses_a_password_and_needs_a_username_for_keytab_and_realm()
    {
        string keytab = _dir.AddFile("k.keytab");

        IReadOnlyList<string> errors = _dir.Errors($"""
            [[inputs.kafka]]
              brokers = ["k:1"]
              sasl_mechanism = "GSSAPI"
              sasl_password = "pw"
              sasl_gssapi_key_tab_path = "{keytab}"
              sasl_gssapi_realm = "R"
            """);

        Assert.Equal(
            [
                $"{_dir.ConfigPath}:4: inputs.kafka.sasl_password: is used only with sasl_mechanism = \"PLAIN\", \"SCRAM-SHA-256\", \"SCRAM-SHA-512\", not with sasl_mechanism = \"GSSAPI\"",
                $"{_dir.ConfigPath}:5: inputs.kafka.sasl_gssapi_key_tab_path: needs sasl_username: the Kerberos principal is sasl_username (with @sasl_gssapi_realm appended)",
                $"{_dir.ConfigPath}:6: inputs.kafka.sasl_gssapi_realm: needs sasl_username: the Kerberos principal is sasl_username (with @sasl_gssapi_realm appended)",
            ],
            errors);
    }

    [Fact]
    public void Oauthbearer_takes_a_static_token_or_oidc_but_not_both()
    {
        Assert.Equal(
            $"{_dir.ConfigPath}:4: inputs.kafka.sasl_access_token: cannot be combined with the sasl_oauthbearer_* OIDC settings: use a static token or OIDC client credentials, not both",
            Error("""
                [[inputs.kafka]]
                brokers = ["k:1"]
                sasl_mechanism = "OAUTHBEARER"
                sasl_access_token = "t"
                sasl_oauthbearer_scope = "kafka"
                """));
    }

    [Fact]
    public void Oidc_needs_an_http_token_endpoint()
    {
        Assert.Equal(
            $"{_dir.ConfigPath}:6: inputs.kafka.sasl_oauthbearer_token_endpoint_url: \"idp.example.com/token\" is not an http(s) URL",
            Error("""
                [[inputs.kafka]]
                brokers = ["k:1"]
                sasl_mechanism = "OAUTHBEARER"
                sasl_oauthbearer_client_id = "c"
                sasl_oauthbearer_client_secret = "s"
                sasl_oauthbearer_token_endpoint_url = "idp.example.com/token"
                """));
    }

    [Fact]
    public void Collects_every_error_each_on_its_own()
    {
        IReadOnlyList<string> errors = _dir.Errors("""
            [[inputs.kafka]]
              brokers = ["nohost"]
              timeout = "-1s"
              log_level = "loud"
              colour = "blue"
            """);

        Assert.Equal(4, errors.Count);
        Assert.All(errors, e => Assert.StartsWith(_dir.ConfigPath + ":", e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Theory]
    [InlineData("[[inputs.kafka]]\nbrokers = [\"k:1\"]\n[[inputs.kafka]]\nbrokers = [\"k:2\"]\n", ":3: a second [[inputs.kafka]] table: one plugin process monitors one cluster (run one execd input per cluster)")]
    [InlineData("[inputs.kafka]\nbrokers = [\"k:1\"]\n", ":1: write [[inputs.kafka]] with double brackets, as Telegraf does")]
    [InlineData("[[inputs.kafka]]\nbrokers = [\"k:1\"]\n[agent]\ninterval = \"10s\"\n", ":3: unknown table [agent]: this file holds one [[inputs.kafka]] table and optionally [inputs.kafka.librdkafka]")]
    [InlineData("brokers = [\"k:1\"]\n[[inputs.kafka]]\nbrokers = [\"k:1\"]\n", ":1: brokers: unknown top-level key: options belong inside the [[inputs.kafka]] table")]
    [InlineData("# nothing here\n", ": no [[inputs.kafka]] table found")]
    public void Reports_a_wrong_table_layout(string toml, string expected)
    {
        Assert.Equal(_dir.ConfigPath + expected, Error(toml));
    }

    [Fact]
    public void Reports_toml_syntax_errors_with_their_line()
    {
        Assert.Equal(
            $"{_dir.ConfigPath}:3: invalid TOML: Unexpected token end-of-line found while expecting a value",
            Error("[[inputs.kafka]]\nbrokers = [\"k:1\"]\ntimeout =\n"));
    }

    [Fact]
    public void Reports_a_duplicated_key()
    {
        string error = Error("[[inputs.kafka]]\nbrokers = [\"k:1\"]\nclient_id = \"a\"\nclient_id = \"b\"\n");

        Assert.StartsWith($"{_dir.ConfigPath}:4: invalid TOML: The key `inputs.kafka.client_id` is already defined", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_undefined_environment_variables_by_name_and_line()
    {
        IReadOnlyList<string> errors = _dir.Errors("""
            # a commented $EXAMPLE is not expanded
            [[inputs.kafka]]
              brokers = ["$KAFKA_BOOTSTRAP"]
              sasl_mechanism = "PLAIN"
              sasl_username = "u"
              sasl_password = "${KAFKA_PASSWORD}"
            """);

        Assert.Contains($"{_dir.ConfigPath}:3: environment variable KAFKA_BOOTSTRAP is not set (write $$ for a literal $)", errors);
        Assert.Contains($"{_dir.ConfigPath}:6: environment variable KAFKA_PASSWORD is not set (write $$ for a literal $)", errors);
        Assert.DoesNotContain(errors, e => e.Contains("EXAMPLE", StringComparison.Ordinal));
    }

    // ---- secrets ----

    private const string SecretValue = "Tr0ub4dor&3-very-secret";

    public static TheoryData<string> FilesThatFailAroundSecrets() => new()
    {
        // Duplicate secret key: Tomlyn quotes the first definition.
        $"[[inputs.kafka]]\nbrokers = [\"k:1\"]\nsasl_mechanism = \"PLAIN\"\nsasl_username = \"u\"\nsasl_password = \"{SecretValue}\"\nsasl_password = \"{SecretValue}\"\n",
        // Syntax error inside a secret value.
        $"[[inputs.kafka]]\nbrokers = [\"k:1\"]\ntls_key_pwd = \"{SecretValue}\\q\"\n",
        // Unterminated secret string.
        $"[[inputs.kafka]]\nbrokers = [\"k:1\"]\nsasl_access_token = \"{SecretValue}\n",
        // Secret of the wrong type, and a secret for a mechanism that does not use it.
        $"[[inputs.kafka]]\nbrokers = [\"k:1\"]\nsasl_password = \"{SecretValue}\"\nsasl_oauthbearer_client_secret = [\"{SecretValue}\"]\n",
        // Secret-looking librdkafka passthrough keys, duplicated and badly typed.
        $"[[inputs.kafka]]\nbrokers = [\"k:1\"]\n[inputs.kafka.librdkafka]\n\"ssl.keystore.password\" = \"{SecretValue}\"\n\"ssl.keystore.password\" = \"{SecretValue}\"\n",
        $"[[inputs.kafka]]\nbrokers = [\"k:1\"]\n[inputs.kafka.librdkafka]\n\"sasl.oauthbearer.config\" = {{ token = \"{SecretValue}\" }}\n",
        // Unknown key that looks like a misspelt secret.
        $"[[inputs.kafka]]\nbrokers = [\"k:1\"]\nsasl_pasword = \"{SecretValue}\"\n",
    };

    [Theory]
    [MemberData(nameof(FilesThatFailAroundSecrets))]
    public void No_error_message_contains_a_secret_value(string toml)
    {
        IReadOnlyList<string> errors = _dir.Errors(toml);

        Assert.All(errors, e => Assert.DoesNotContain(SecretValue, e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain("Tr0ub4dor", e, StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_from_the_environment_that_breaks_the_file_is_not_shown()
    {
        // Expanded values are escaped for basic strings, so only a literal string can be broken by them.
        IReadOnlyList<string> errors = _dir.Errors(
            "[[inputs.kafka]]\nbrokers = [\"k:1\"]\nsasl_mechanism = \"PLAIN\"\nsasl_username = \"u\"\nsasl_password = '$PW'\n",
            new Dictionary<string, string> { ["PW"] = "it's-" + SecretValue });

        Assert.All(errors, e => Assert.DoesNotContain(SecretValue, e, StringComparison.Ordinal));
    }
}
