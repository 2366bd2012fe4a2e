using Level = Microsoft.Extensions.Logging.LogLevel;
using Mechanism = KafkaExecdInput.Configuration.SaslMechanism;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// Every option of the [[inputs.kafka]] table, declared once, in the order of plugin.conf.sample.
/// The loader reads and checks values through these declarations, and the sample and the README's
/// copy of it are generated from them (SampleConfigTests keeps the committed files equal).
/// </summary>
/// <remarks>
/// Adding an option is one declaration here (and added to <see cref="All"/>); the code that uses it
/// reads <c>config.Get(Options.TheOption)</c>. Only rules that involve several options live
/// elsewhere, in <see cref="PluginConfigAssembler"/>.
/// </remarks>
internal static class Options
{
    public const string Table = "inputs.kafka";
    public const string LibrdkafkaTable = "inputs.kafka.librdkafka";

    /// <summary>Key of the passthrough sub-table, as written inside [[inputs.kafka]] (inline or dotted).</summary>
    public const string LibrdkafkaKey = "librdkafka";

    // Declared before the options that use it: static fields are initialized in order.
    private static readonly Mechanism[] PasswordMechanisms = [Mechanism.Plain, Mechanism.ScramSha256, Mechanism.ScramSha512];

    public static readonly Option<IReadOnlyList<string>> Brokers = new("brokers", ValueKinds.StringList(BrokerAddress.Problem), [])
    {
        Help = "Bootstrap brokers as \"host:port\" (IPv6 as \"[::1]:9092\"). Required.",
        Example = "[\"localhost:9092\"]",
        IsRequired = true,
        Rule = brokers => brokers.Count == 0 ? "must list at least one broker, e.g. [\"kafka1:9092\"]" : null,
    };

    public static readonly Option<string?> ClientId = new("client_id", ValueKinds.Text, "kafka-execd-input")
    {
        Help = "Client id sent to the brokers (visible in broker logs and quotas).",
        Rule = id => string.IsNullOrWhiteSpace(id) ? "is blank" : null,
    };

    public static readonly Option<IReadOnlyList<string>> TopicInclude = new("topic_include", ValueKinds.StringList(NameFilter.PatternProblem), [])
    {
        Help = """
            Topics and consumer groups to report: lists of .NET regular expressions,
            matched anywhere in the name ("^...$" for a whole name). A name is reported
            when no exclude pattern matches it and the include list is empty or one of
            its patterns matches; exclude wins.
            """,
    };

    public static readonly Option<IReadOnlyList<string>> TopicExclude = new("topic_exclude", ValueKinds.StringList(NameFilter.PatternProblem), []);

    public static readonly Option<IReadOnlyList<string>> GroupInclude = new("group_include", ValueKinds.StringList(NameFilter.PatternProblem), []);

    public static readonly Option<IReadOnlyList<string>> GroupExclude = new("group_exclude", ValueKinds.StringList(NameFilter.PatternProblem), []);

    public static readonly Option<TimeSpan> Timeout = new("timeout", ValueKinds.Duration, TimeSpan.FromSeconds(10))
    {
        Help = """
            Deadline for one whole collection: no Kafka request is started after it,
            none still unanswered is waited for, and whatever was read is written
            within 0.5s after it; the rest is reported as an error
            (kafka_collector partial=1i). Keep it below the Telegraf interval.
            """,
    };

    /// <summary>Unset, it is the default or <see cref="Timeout"/>, whichever is shorter (see PluginConfigAssembler).</summary>
    public static readonly Option<TimeSpan> RequestTimeout = new("request_timeout", ValueKinds.Duration, TimeSpan.FromSeconds(5))
    {
        Help = """
            Network timeout of a single Kafka request (librdkafka socket.timeout.ms);
            at most timeout. When unset it is 5s, or timeout if that is shorter.
            """,
    };

    /// <summary>
    /// Chosen from the benchmark's curve (tests/KafkaExecdInput.Benchmarks, gather; four runs): at
    /// 10,000 and 50,000 partitions gathers get faster up to 16-32 and are flat within noise beyond;
    /// 8 was 10-30% slower at 50,000 partitions, 1 about 1.5-2x. 32 takes that gain while keeping
    /// bursts of offset fetches to the coordinators moderate. Above 1000 a typo would open thousands of requests.
    /// </summary>
    public static readonly Option<int> MaxConcurrentRequests = new("max_concurrent_requests", ValueKinds.Integer, 256)
    {
        Help = """
            Kafka requests one collection keeps in flight at once (1-1000). Each group
            costs two round trips, so over a real network this bounds the speed; the
            default was chosen from the benchmark at 0 and 20 ms round trips
            (tests/KafkaExecdInput.Benchmarks, "Network latency").
            """,
        Rule = count => count is < 1 or > 1000 ? "is not between 1 and 1000" : null,
    };

    public static readonly Option<TimeSpan?> Interval = new("interval", ValueKinds.OptionalDuration, null)
    {
        Help = """
            Collect on the plugin's own clock instead of on each newline from Telegraf
            (signal = "STDIN"). Unset by default.
            """,
        Example = "\"30s\"",
    };

    /// <summary>Execd/GatherCycle.WarmUpAsync says why; not used with --once.</summary>
    public static readonly Option<bool> WarmUp = new("warm_up", ValueKinds.Flag, true)
    {
        Help = """
            Run one collection as soon as the plugin starts, before Telegraf's first
            request, so that request finds the plugin warm: a fresh process's first
            collection is slower. Its metrics are written only if a request arrives
            while it runs, and then answer that request. Off saves the cluster one
            collection's requests each time Telegraf starts the plugin.
            """,
    };

    public static readonly Option<TimeSpan> HistoryRetention = new("history_retention", ValueKinds.Duration, History.GatherHistory.DefaultRetention)
    {
        Help = """
            How long the plugin remembers a consumer group or partition it no longer
            sees (the history behind known groups; kept in memory, bounded by this).
            """,
        Rule = retention => retention < TimeSpan.FromMinutes(1) ? "is shorter than 1m" : null,
    };

    public static readonly Option<Level> LogLevel = new("log_level", ValueKinds.Choice(
        ("error", Level.Error),
        ("warn", Level.Warning),
        ("info", Level.Information),
        ("debug", Level.Debug),
        ("trace", Level.Trace)), Level.Information)
    {
        Help = """
            Plugin log level: "error", "warn", "info", "debug" or "trace". Logs go to
            stderr with Telegraf's level prefixes; stack traces only at "trace".
            """,
    };

    /// <summary>Unset, TLS is on when any other TLS option is set (as in Telegraf).</summary>
    public static readonly Option<bool?> EnableTls = new("enable_tls", ValueKinds.OptionalFlag, null)
    {
        Help = """
            TLS. Enabled by default as soon as any tls_* option or insecure_skip_verify
            is set; enable_tls = true turns it on with the system's CA certificates.
            """,
        Example = "true",
    };

    public static readonly Option<string?> TlsCa = new("tls_ca", ValueKinds.File, null) { Example = "\"/etc/kafka-execd-input/ca.pem\"" };

    public static readonly Option<string?> TlsCert = new("tls_cert", ValueKinds.File, null) { Example = "\"/etc/kafka-execd-input/client.pem\"" };

    public static readonly Option<string?> TlsKey = new("tls_key", ValueKinds.File, null) { Example = "\"/etc/kafka-execd-input/client.key\"" };

    public static readonly Option<Secret?> TlsKeyPwd = new("tls_key_pwd", ValueKinds.Secret, null)
    {
        Help = "Password of an encrypted tls_key.",
        Example = "\"$KAFKA_TLS_KEY_PASSWORD\"",
    };

    public static readonly Option<bool> InsecureSkipVerify = new("insecure_skip_verify", ValueKinds.Flag, false)
    {
        Help = "Skip the broker certificate and host name checks (not for production).",
    };

    public static readonly Option<Mechanism> SaslMechanism = new("sasl_mechanism", ValueKinds.Choice(SaslMechanismNames.All), Mechanism.None)
    {
        Help = """
            SASL mechanism: "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI" or
            "OAUTHBEARER". Empty means no SASL.
            """,
    };

    public static readonly Option<string?> SaslUsername = new("sasl_username", ValueKinds.Text, null)
    {
        Help = "PLAIN and SCRAM-*: both required. GSSAPI: sasl_username is the principal.",
        Example = "\"monitor\"",
        UsedBySasl = [.. PasswordMechanisms, Mechanism.Gssapi],
    };

    public static readonly Option<Secret?> SaslPassword = new("sasl_password", ValueKinds.Secret, null)
    {
        Example = "\"$KAFKA_PASSWORD\"",
        UsedBySasl = PasswordMechanisms,
    };

    public static readonly Option<string?> SaslGssapiServiceName = new("sasl_gssapi_service_name", ValueKinds.Text, "kafka")
    {
        Help = """
            GSSAPI (Kerberos). The principal is sasl_username@sasl_gssapi_realm.
            Needs a librdkafka build with GSSAPI support.
            """,
        UsedBySasl = [Mechanism.Gssapi],
    };

    public static readonly Option<string?> SaslGssapiKeyTabPath = new("sasl_gssapi_key_tab_path", ValueKinds.File, null)
    {
        Example = "\"/etc/kafka-execd-input/monitor.keytab\"",
        UsedBySasl = [Mechanism.Gssapi],
    };

    public static readonly Option<string?> SaslGssapiRealm = new("sasl_gssapi_realm", ValueKinds.Text, null)
    {
        Example = "\"EXAMPLE.COM\"",
        UsedBySasl = [Mechanism.Gssapi],
    };

    public static readonly Option<string?> SaslGssapiKerberosConfigPath = new("sasl_gssapi_kerberos_config_path", ValueKinds.File, null)
    {
        Help = "Kerberos configuration for the client (passed on as KRB5_CONFIG).",
        Example = "\"/etc/krb5.conf\"",
        UsedBySasl = [Mechanism.Gssapi],
    };

    public static readonly Option<Secret?> SaslAccessToken = new("sasl_access_token", ValueKinds.Secret, null)
    {
        Help = "OAUTHBEARER, either with a static access token...",
        Example = "\"$KAFKA_ACCESS_TOKEN\"",
        UsedBySasl = [Mechanism.OAuthBearer],
    };

    public static readonly Option<string?> SaslOAuthBearerClientId = new("sasl_oauthbearer_client_id", ValueKinds.Text, null)
    {
        Help = "...or with OIDC client credentials, exchanged for tokens at the endpoint.",
        Example = "\"kafka-monitor\"",
        UsedBySasl = [Mechanism.OAuthBearer],
    };

    public static readonly Option<Secret?> SaslOAuthBearerClientSecret = new("sasl_oauthbearer_client_secret", ValueKinds.Secret, null)
    {
        Example = "\"$KAFKA_OIDC_SECRET\"",
        UsedBySasl = [Mechanism.OAuthBearer],
    };

    public static readonly Option<string?> SaslOAuthBearerTokenEndpointUrl = new("sasl_oauthbearer_token_endpoint_url", ValueKinds.Text, null)
    {
        Example = "\"https://idp.example.com/oauth2/token\"",
        UsedBySasl = [Mechanism.OAuthBearer],
        Rule = url => Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? null : "is not an http(s) URL",
    };

    public static readonly Option<string?> SaslOAuthBearerScope = new("sasl_oauthbearer_scope", ValueKinds.Text, null)
    {
        Example = "\"kafka\"",
        UsedBySasl = [Mechanism.OAuthBearer],
    };

    public static readonly Option<bool> LagSecondsExact = new("lag_seconds_exact", ValueKinds.Flag, false)
    {
        Help = """
            Lag in seconds from the timestamp of the record at each lagging group's
            committed offset: exact from the first collection, at the cost of one
            small Fetch per broker per collection (more when groups share a partition
            at different offsets). Off: interpolated from the plugin's own history
            of latest offsets, absent until two collections have run.
            """,
    };

    /// <summary>Parsed by <see cref="Sharding.Shard.ByHash.Parse"/>; exclusive with <see cref="ShardByBroker"/> (PluginConfigAssembler).</summary>
    public static readonly Option<string?> Shard = new("shard", ValueKinds.Text, null)
    {
        Help = """
            Split one cluster across several agents, each running this plugin under its
            own Telegraf: together they write every line exactly once (README, Sharding).
            shard = "k/n" makes this agent shard k of n (1 <= k <= n): the consumer groups
            and topics whose name's FNV-1a hash modulo n is k-1; shard 1 also writes the
            cluster-wide lines (kafka, kafka_broker).
            """,
        Example = "\"2/8\"",
        Rule = text => Sharding.Shard.ByHash.Parse(text!, out string? problem) is null ? problem : null,
    };

    public static readonly Option<int?> ShardByBroker = new("shard_by_broker", ValueKinds.OptionalInteger, null)
    {
        Help = """
            ...or split by broker: one agent per broker id, each collecting the groups
            that broker coordinates and the partitions it leads, following moves. The
            agent of the lowest broker id writes the cluster-wide and kafka_topic lines.
            Not together with shard.
            """,
        Example = "1",
        Rule = id => id < 0 ? "is not a broker id (0 or more)" : null,
    };

    public static readonly Option<IReadOnlyList<string>> ExcludeMetrics = new("exclude_metrics", ValueKinds.StringList(FamilyProblem), [])
    {
        Help = """
            Metric families not to collect, by name (the README's metrics table lists
            them), e.g. ["topic_config", "topic_partition"]. A family that is off costs
            no Kafka request. kafka_collector is always written.
            """,
        Example = "[\"topic_config\"]",
    };

    public static readonly Option<IReadOnlyList<string>> TopicConfigs = new("topic_configs", ValueKinds.StringList(ConfigKeyProblem), Metrics.TopicConfigCatalog.DefaultKeys)
    {
        Help = """
            Topic configs to report (family topic_config), read with DescribeConfigs
            in a few batched requests. Numeric ones are fields of kafka_topic_config,
            the others (cleanup.policy) info series labelled with the value.
            """,
    };

    public static readonly Option<TimeSpan> TopicConfigInterval = new("topic_config_interval", ValueKinds.Duration, TimeSpan.FromMinutes(5))
    {
        Help = """
            How often topic configs (and min.insync.replicas) are read again; in
            between, the last values are written. Configs change rarely.
            """,
    };

    public static readonly Option<int> LagStatusWindow = new("lag_status_window", ValueKinds.Integer, History.LagStatusSettings.DefaultWindow)
    {
        Help = """
            Lag status (Burrow's evaluation): the window, in collections, of committed
            offsets each group-partition is judged over (2-100; Burrow's default 10).
            A count, not a duration: STOP and STALL mean "did not move for the whole
            window", so the window spans lag_status_window intervals of Telegraf.
            """,
        Rule = window => window is < 2 or > 100 ? "is not between 2 and 100" : null,
    };

    public static readonly Option<int> AllowedLag = new("allowed_lag", ValueKinds.Integer, 0)
    {
        Help = """
            Lag, in messages, that lag status treats as none: a partition whose lag was
            at most this at any collection of its window is OK.
            """,
        Rule = lag => lag < 0 ? "is negative" : null,
    };

    public static readonly Option<string?> StateFile = new("state_file", ValueKinds.OutputPath, null)
    {
        Help = """
            Keep the history behind lag in seconds and lag status across restarts of
            the plugin (Telegraf restarts an execd plugin that exits): written
            atomically every state_file_write_every collections and on a clean exit,
            read at start. A missing or unusable file starts an empty history with a
            warning; a folder that cannot be written stops the plugin at start.
            """,
        Example = "\"/var/lib/telegraf/kafka-execd-input.state\"",
    };

    public static readonly Option<int> StateFileWriteEvery = new("state_file_write_every", ValueKinds.Integer, 10)
    {
        Rule = every => every is < 1 or > 10_000 ? "is not between 1 and 10000" : null,
    };

    public static readonly Option<bool> GroupPartitionOwners = new("group_partition_owners", ValueKinds.Flag, false)
    {
        Help = """
            Write kafka_consumergroup_partition_owner: the client id and host of the
            member that owns each assigned partition of each group. One series per
            group-partition (and a new one when a partition moves), so off by
            default. It costs no extra Kafka request.
            """,
    };

    /// <summary>Every option, in the sample's order.</summary>
    public static readonly IReadOnlyList<OptionDeclaration> All =
    [
        Brokers, ClientId, TopicInclude, TopicExclude, GroupInclude, GroupExclude, Timeout, RequestTimeout,
        MaxConcurrentRequests, Interval, WarmUp, HistoryRetention, LogLevel,
        EnableTls, TlsCa, TlsCert, TlsKey, TlsKeyPwd, InsecureSkipVerify,
        SaslMechanism, SaslUsername, SaslPassword,
        SaslGssapiServiceName, SaslGssapiKeyTabPath, SaslGssapiRealm, SaslGssapiKerberosConfigPath,
        SaslAccessToken, SaslOAuthBearerClientId, SaslOAuthBearerClientSecret, SaslOAuthBearerTokenEndpointUrl, SaslOAuthBearerScope,
        LagSecondsExact,
        Shard, ShardByBroker,
        ExcludeMetrics, TopicConfigs, TopicConfigInterval,
        LagStatusWindow, AllowedLag,
        StateFile, StateFileWriteEvery,
        GroupPartitionOwners,
    ];

    private static readonly Dictionary<string, OptionDeclaration> ByKey = All.ToDictionary(option => option.Key, StringComparer.Ordinal);

    private const string SampleHeader = """
        # Kafka cluster monitoring for Telegraf's [[inputs.execd]] (replaces kafka_exporter):
        # brokers, topics, partitions, offsets, consumer groups and their lag.
        #
        # This is the plugin's own configuration file. Keep it outside Telegraf's config
        # directory: Telegraf would try to load it as its own. It holds exactly one
        # [[inputs.kafka]] table (one cluster per plugin process).
        #
        # Environment variables: $NAME and ${NAME} are replaced before the file is read,
        # inside strings too ("$KAFKA_PASSWORD"). An undefined variable is an error; a
        # defined but empty one is fine. Write $$ for a literal $. Whole-line comments
        # are not expanded. Relative file paths are relative to this file's folder.

        """;

    private const string SampleLibrdkafkaTable = """

          ## Extra librdkafka properties for the client, passed through as given (see
          ## librdkafka's CONFIGURATION.md). They override the plugin's own settings,
          ## with a warning naming the key. Dotted names can be written bare or quoted.
          # [inputs.kafka.librdkafka]
          #   "socket.keepalive.enable" = true
          #   "topic.metadata.refresh.interval.ms" = 60000

        """;

    private static string? FamilyProblem(string name) =>
        Metrics.MetricFamilies.All.FirstOrDefault(f => f.Name == name) switch
        {
            null => $"is not a metric family; known: {string.Join(", ", Metrics.MetricFamilies.All.Where(f => f.CanBeTurnedOff).Select(f => f.Name))}",
            { CanBeTurnedOff: false } => "cannot be turned off (it says whether a collection was complete)",
            _ => null,
        };

    /// <summary>Kafka's config keys are lower-case words joined by dots; whether Kafka knows one is only warned about.</summary>
    private static string? ConfigKeyProblem(string key) =>
        key.Length > 0 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-') ? null : "is not a Kafka config key";

    /// <summary>The option, or null for an unknown key.</summary>
    public static OptionDeclaration? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>"inputs.kafka.timeout": how a key is named in messages.</summary>
    public static string Qualified(string key) => $"{Table}.{key}";

    /// <summary>"inputs.kafka.librdkafka.socket.timeout.ms".</summary>
    public static string QualifiedLibrdkafka(string property) => $"{LibrdkafkaTable}.{property}";

    /// <summary>The text of plugin.conf.sample.</summary>
    public static string SampleConfig() => SampleHeader + SampleTable();

    /// <summary>The sample's [[inputs.kafka]] table, which the README shows.</summary>
    public static string SampleTable() =>
        $"[[{Table}]]\n" + string.Concat(All.Select(option => option.SampleText())).TrimStart('\n') + SampleLibrdkafkaTable;
}
