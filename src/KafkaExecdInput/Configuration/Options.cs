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
            and whatever was read is written; the rest is reported as an error
            (kafka_collector partial=1i). Requests already in flight end within
            request_timeout + 1s, so a collection lasts at most about the sum.
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
    public static readonly Option<int> MaxConcurrentRequests = new("max_concurrent_requests", ValueKinds.Integer, 32)
    {
        Help = """
            Kafka requests one collection keeps in flight at once (1-1000). The default
            was chosen from the benchmark's curve (tests/KafkaExecdInput.Benchmarks).
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
        MaxConcurrentRequests, Interval, HistoryRetention, LogLevel,
        EnableTls, TlsCa, TlsCert, TlsKey, TlsKeyPwd, InsecureSkipVerify,
        SaslMechanism, SaslUsername, SaslPassword,
        SaslGssapiServiceName, SaslGssapiKeyTabPath, SaslGssapiRealm, SaslGssapiKerberosConfigPath,
        SaslAccessToken, SaslOAuthBearerClientId, SaslOAuthBearerClientSecret, SaslOAuthBearerTokenEndpointUrl, SaslOAuthBearerScope,
        LagSecondsExact,
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
