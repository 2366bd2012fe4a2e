namespace KafkaExecdInput.Configuration;

/// <summary>The option names of the [[inputs.kafka]] table, named as in Telegraf's Kafka plugins where they have one.</summary>
internal static class ConfigKeys
{
    public const string Table = "inputs.kafka";
    public const string LibrdkafkaTable = "inputs.kafka.librdkafka";

    /// <summary>Key of the passthrough sub-table, as written inside [[inputs.kafka]] (inline or dotted).</summary>
    public const string Librdkafka = "librdkafka";

    public const string Brokers = "brokers";
    public const string ClientId = "client_id";
    public const string EnableTls = "enable_tls";
    public const string TlsCa = "tls_ca";
    public const string TlsCert = "tls_cert";
    public const string TlsKey = "tls_key";
    public const string TlsKeyPwd = "tls_key_pwd";
    public const string InsecureSkipVerify = "insecure_skip_verify";
    public const string SaslMechanism = "sasl_mechanism";
    public const string SaslUsername = "sasl_username";
    public const string SaslPassword = "sasl_password";
    public const string SaslGssapiServiceName = "sasl_gssapi_service_name";
    public const string SaslGssapiKeyTabPath = "sasl_gssapi_key_tab_path";
    public const string SaslGssapiKerberosConfigPath = "sasl_gssapi_kerberos_config_path";
    public const string SaslGssapiRealm = "sasl_gssapi_realm";
    public const string SaslAccessToken = "sasl_access_token";
    public const string SaslOAuthBearerClientId = "sasl_oauthbearer_client_id";
    public const string SaslOAuthBearerClientSecret = "sasl_oauthbearer_client_secret";
    public const string SaslOAuthBearerTokenEndpointUrl = "sasl_oauthbearer_token_endpoint_url";
    public const string SaslOAuthBearerScope = "sasl_oauthbearer_scope";
    public const string TopicInclude = "topic_include";
    public const string TopicExclude = "topic_exclude";
    public const string GroupInclude = "group_include";
    public const string GroupExclude = "group_exclude";
    public const string Timeout = "timeout";
    public const string RequestTimeout = "request_timeout";
    public const string MaxConcurrentRequests = "max_concurrent_requests";
    public const string Interval = "interval";
    public const string LogLevel = "log_level";

    /// <summary>Keys whose values never appear in a message.</summary>
    public static readonly IReadOnlySet<string> Secrets = new HashSet<string>(StringComparer.Ordinal)
    {
        TlsKeyPwd, SaslPassword, SaslAccessToken, SaslOAuthBearerClientSecret,
    };

    /// <summary>"inputs.kafka.timeout": how a key is named in messages.</summary>
    public static string Qualified(string key) => $"{Table}.{key}";

    /// <summary>"inputs.kafka.librdkafka.socket.timeout.ms".</summary>
    public static string QualifiedLibrdkafka(string property) => $"{LibrdkafkaTable}.{property}";

    /// <summary>True for a plugin secret key, or a key whose name says it holds a secret.</summary>
    public static bool IsSecret(string key) => Secrets.Contains(key) || Secret.IsSecretProperty(key);
}
