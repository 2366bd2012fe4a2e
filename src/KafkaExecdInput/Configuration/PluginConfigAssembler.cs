using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// Turns the typed table values into a <see cref="PluginConfig"/>: applies defaults, checks the
/// rules that involve several keys or the file system, and reports every problem it finds.
/// </summary>
internal sealed class PluginConfigAssembler(ConfigErrors errors, string baseDirectory)
{
    private static readonly SaslMechanism[] UsernameMechanisms =
        [SaslMechanism.Plain, SaslMechanism.ScramSha256, SaslMechanism.ScramSha512, SaslMechanism.Gssapi];

    private static readonly SaslMechanism[] PasswordMechanisms =
        [SaslMechanism.Plain, SaslMechanism.ScramSha256, SaslMechanism.ScramSha512];

    /// <summary>Which mechanisms use each SASL key; a key set for another mechanism is a mistake worth reporting.</summary>
    private static readonly (string Key, SaslMechanism[] UsedBy)[] SaslKeyOwners =
    [
        (ConfigKeys.SaslUsername, UsernameMechanisms),
        (ConfigKeys.SaslPassword, PasswordMechanisms),
        (ConfigKeys.SaslGssapiServiceName, [SaslMechanism.Gssapi]),
        (ConfigKeys.SaslGssapiKeyTabPath, [SaslMechanism.Gssapi]),
        (ConfigKeys.SaslGssapiKerberosConfigPath, [SaslMechanism.Gssapi]),
        (ConfigKeys.SaslGssapiRealm, [SaslMechanism.Gssapi]),
        (ConfigKeys.SaslAccessToken, [SaslMechanism.OAuthBearer]),
        (ConfigKeys.SaslOAuthBearerClientId, [SaslMechanism.OAuthBearer]),
        (ConfigKeys.SaslOAuthBearerClientSecret, [SaslMechanism.OAuthBearer]),
        (ConfigKeys.SaslOAuthBearerTokenEndpointUrl, [SaslMechanism.OAuthBearer]),
        (ConfigKeys.SaslOAuthBearerScope, [SaslMechanism.OAuthBearer]),
    ];

    private static readonly (string Name, LogLevel Level)[] LogLevels =
    [
        ("error", LogLevel.Error),
        ("warn", LogLevel.Warning),
        ("info", LogLevel.Information),
        ("debug", LogLevel.Debug),
        ("trace", LogLevel.Trace),
    ];

    /// <summary>The configuration, or null when any problem was reported.</summary>
    public PluginConfig? Assemble(KafkaTableSettings settings)
    {
        IReadOnlyList<string> brokers = Brokers(settings);
        TlsSettings tls = Tls(settings);
        SaslSettings sasl = Sasl(settings);
        NameFilter? topicFilter = Filter(settings, ConfigKeys.TopicInclude, ConfigKeys.TopicExclude);
        NameFilter? groupFilter = Filter(settings, ConfigKeys.GroupInclude, ConfigKeys.GroupExclude);
        (TimeSpan timeout, TimeSpan requestTimeout) = Timeouts(settings);
        int maxConcurrentRequests = MaxConcurrentRequests(settings);
        LogLevel logLevel = ReadLogLevel(settings);
        IReadOnlyDictionary<string, string> librdkafka = Librdkafka(settings);

        if (errors.Any || topicFilter is null || groupFilter is null)
        {
            return null;
        }

        return new PluginConfig
        {
            Brokers = brokers,
            ClientId = settings.String(ConfigKeys.ClientId) ?? PluginDefaults.ClientId,
            Tls = tls,
            Sasl = sasl,
            TopicFilter = topicFilter,
            GroupFilter = groupFilter,
            Timeout = timeout,
            RequestTimeout = requestTimeout,
            Interval = settings.Durations.TryGetValue(ConfigKeys.Interval, out Located<TimeSpan> interval) ? interval.Value : null,
            MaxConcurrentRequests = maxConcurrentRequests,
            LogLevel = logLevel,
            Librdkafka = librdkafka,
        };
    }

    private IReadOnlyList<string> Brokers(KafkaTableSettings settings)
    {
        string key = ConfigKeys.Qualified(ConfigKeys.Brokers);
        if (!settings.Lists.TryGetValue(ConfigKeys.Brokers, out Located<IReadOnlyList<Located<string>>> brokers))
        {
            if (!settings.WasWritten(ConfigKeys.Brokers))
            {
                errors.Add(settings.TableLine, key, "is required: a list of bootstrap brokers such as [\"kafka1:9092\"]");
            }

            return [];
        }

        if (brokers.Value.Count == 0)
        {
            errors.Add(brokers.Line, key, "must list at least one broker, e.g. [\"kafka1:9092\"]");
        }

        for (int i = 0; i < brokers.Value.Count; i++)
        {
            Located<string> broker = brokers.Value[i];
            if (!BrokerAddress.TryValidate(broker.Value, out string? problem))
            {
                errors.Add(broker.Line, $"{key}[{i}]", $"\"{broker.Value}\" {problem}");
            }
        }

        return [.. brokers.Value.Select(b => b.Value)];
    }

    private TlsSettings Tls(KafkaTableSettings settings)
    {
        string? ca = ReadablePath(settings, ConfigKeys.TlsCa);
        string? certificate = ReadablePath(settings, ConfigKeys.TlsCert);
        string? key = ReadablePath(settings, ConfigKeys.TlsKey);
        string? keyPassword = settings.String(ConfigKeys.TlsKeyPwd);
        bool insecure = settings.Booleans.TryGetValue(ConfigKeys.InsecureSkipVerify, out Located<bool> skip) && skip.Value;

        if (settings.IsSet(ConfigKeys.TlsCert) != settings.IsSet(ConfigKeys.TlsKey)
            && !settings.Invalid.Contains(ConfigKeys.TlsCert) && !settings.Invalid.Contains(ConfigKeys.TlsKey))
        {
            string missing = settings.IsSet(ConfigKeys.TlsCert) ? ConfigKeys.TlsKey : ConfigKeys.TlsCert;
            string present = settings.IsSet(ConfigKeys.TlsCert) ? ConfigKeys.TlsCert : ConfigKeys.TlsKey;
            errors.Add(settings.LineOf(present), ConfigKeys.Qualified(present), $"needs {missing} too: a client certificate and its key go together");
        }

        if (keyPassword is not null && settings.IsMissing(ConfigKeys.TlsKey))
        {
            errors.Add(settings.LineOf(ConfigKeys.TlsKeyPwd), ConfigKeys.Qualified(ConfigKeys.TlsKeyPwd), "is set but tls_key is not");
        }

        // As in Telegraf: TLS is on when asked for, or by default when any TLS option is given.
        bool enabled = settings.Booleans.TryGetValue(ConfigKeys.EnableTls, out Located<bool> enable)
            ? enable.Value
            : settings.IsSet(ConfigKeys.TlsCa) || settings.IsSet(ConfigKeys.TlsCert) || settings.IsSet(ConfigKeys.TlsKey) || insecure;

        return new TlsSettings(enabled, ca, certificate, key, keyPassword, insecure);
    }

    private SaslSettings Sasl(KafkaTableSettings settings)
    {
        SaslMechanism mechanism = SaslMechanism.None;
        if (settings.Strings.TryGetValue(ConfigKeys.SaslMechanism, out Located<string> name)
            && !SaslMechanismNames.TryParse(name.Value, out mechanism))
        {
            errors.Add(name.Line, ConfigKeys.Qualified(ConfigKeys.SaslMechanism),
                $"\"{name.Value}\" is not a supported mechanism ({SaslMechanismNames.Supported})");
            return SaslSettings.None;
        }

        foreach ((string key, SaslMechanism[] usedBy) in SaslKeyOwners)
        {
            if (settings.IsSet(key) && !usedBy.Contains(mechanism))
            {
                string current = mechanism == SaslMechanism.None
                    ? "but sasl_mechanism is not set"
                    : $"not with sasl_mechanism = \"{SaslMechanismNames.ToName(mechanism)}\"";
                string owners = string.Join(", ", usedBy.Select(m => $"\"{SaslMechanismNames.ToName(m)}\""));
                errors.Add(settings.LineOf(key), ConfigKeys.Qualified(key), $"is used only with sasl_mechanism = {owners}, {current}");
            }
        }

        string? username = settings.String(ConfigKeys.SaslUsername);
        string? password = settings.String(ConfigKeys.SaslPassword);
        switch (mechanism)
        {
            case SaslMechanism.Plain or SaslMechanism.ScramSha256 or SaslMechanism.ScramSha512:
                RequireForMechanism(settings, ConfigKeys.SaslUsername, mechanism);
                RequireForMechanism(settings, ConfigKeys.SaslPassword, mechanism);
                return new SaslSettings(mechanism, username, password);
            case SaslMechanism.Gssapi:
                return new SaslSettings(mechanism, username) { Kerberos = Kerberos(settings, username) };
            case SaslMechanism.OAuthBearer:
                return new SaslSettings(mechanism) { OAuthBearer = OAuthBearer(settings) };
            default:
                return SaslSettings.None;
        }
    }

    private KerberosSettings Kerberos(KafkaTableSettings settings, string? username)
    {
        string? keytab = ReadablePath(settings, ConfigKeys.SaslGssapiKeyTabPath);
        string? krb5Config = ReadablePath(settings, ConfigKeys.SaslGssapiKerberosConfigPath);
        string? realm = settings.String(ConfigKeys.SaslGssapiRealm);
        foreach (string needsPrincipal in new[] { ConfigKeys.SaslGssapiKeyTabPath, ConfigKeys.SaslGssapiRealm })
        {
            if (settings.IsSet(needsPrincipal) && settings.IsMissing(ConfigKeys.SaslUsername))
            {
                errors.Add(settings.LineOf(needsPrincipal), ConfigKeys.Qualified(needsPrincipal),
                    "needs sasl_username: the Kerberos principal is sasl_username (with @sasl_gssapi_realm appended)");
            }
        }

        return new KerberosSettings(
            settings.String(ConfigKeys.SaslGssapiServiceName) ?? PluginDefaults.GssapiServiceName, keytab, krb5Config, realm);
    }

    private OAuthBearerSettings OAuthBearer(KafkaTableSettings settings)
    {
        string? token = settings.String(ConfigKeys.SaslAccessToken);
        string[] oidcKeys =
        [
            ConfigKeys.SaslOAuthBearerClientId, ConfigKeys.SaslOAuthBearerClientSecret, ConfigKeys.SaslOAuthBearerTokenEndpointUrl,
        ];
        bool anyOidc = oidcKeys.Any(settings.IsSet) || settings.IsSet(ConfigKeys.SaslOAuthBearerScope);
        if (token is not null && anyOidc)
        {
            errors.Add(settings.LineOf(ConfigKeys.SaslAccessToken), ConfigKeys.Qualified(ConfigKeys.SaslAccessToken),
                "cannot be combined with the sasl_oauthbearer_* OIDC settings: use a static token or OIDC client credentials, not both");
            return OAuthBearerSettings.None;
        }

        if (token is not null)
        {
            return new OAuthBearerSettings(AccessToken: token);
        }

        if (!anyOidc)
        {
            errors.Add(settings.LineOf(ConfigKeys.SaslMechanism), ConfigKeys.Qualified(ConfigKeys.SaslMechanism),
                "\"OAUTHBEARER\" needs sasl_access_token, or sasl_oauthbearer_client_id, sasl_oauthbearer_client_secret and sasl_oauthbearer_token_endpoint_url");
            return OAuthBearerSettings.None;
        }

        foreach (string key in oidcKeys)
        {
            if (settings.IsMissing(key))
            {
                errors.Add(settings.LineOf(ConfigKeys.SaslMechanism), ConfigKeys.Qualified(key), "is required for OIDC client credentials");
            }
        }

        if (settings.Strings.TryGetValue(ConfigKeys.SaslOAuthBearerTokenEndpointUrl, out Located<string> url)
            && (!Uri.TryCreate(url.Value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add(url.Line, ConfigKeys.Qualified(ConfigKeys.SaslOAuthBearerTokenEndpointUrl), $"\"{url.Value}\" is not an http(s) URL");
        }

        return new OAuthBearerSettings(
            ClientId: settings.String(ConfigKeys.SaslOAuthBearerClientId),
            ClientSecret: settings.String(ConfigKeys.SaslOAuthBearerClientSecret),
            TokenEndpointUrl: settings.String(ConfigKeys.SaslOAuthBearerTokenEndpointUrl),
            Scope: settings.String(ConfigKeys.SaslOAuthBearerScope));
    }

    private void RequireForMechanism(KafkaTableSettings settings, string key, SaslMechanism mechanism)
    {
        if (settings.IsMissing(key))
        {
            errors.Add(settings.LineOf(ConfigKeys.SaslMechanism), ConfigKeys.Qualified(key),
                $"is required with sasl_mechanism = \"{SaslMechanismNames.ToName(mechanism)}\"");
        }
    }

    private NameFilter? Filter(KafkaTableSettings settings, string includeKey, string excludeKey)
    {
        IReadOnlyList<string>? include = Patterns(settings, includeKey);
        IReadOnlyList<string>? exclude = Patterns(settings, excludeKey);
        return include is null || exclude is null ? null : NameFilter.FromPatterns(include, exclude);
    }

    /// <summary>The patterns of one filter key, or null when one of them is not a valid regex.</summary>
    private List<string>? Patterns(KafkaTableSettings settings, string key)
    {
        if (!settings.Lists.TryGetValue(key, out Located<IReadOnlyList<Located<string>>> list))
        {
            return settings.WasWritten(key) ? null : [];
        }

        bool valid = true;
        for (int i = 0; i < list.Value.Count; i++)
        {
            Located<string> pattern = list.Value[i];
            try
            {
                NameFilter.Compile(pattern.Value);
            }
            catch (ArgumentException ex)
            {
                errors.Add(pattern.Line, $"{ConfigKeys.Qualified(key)}[{i}]", $"\"{pattern.Value}\" is not a valid regular expression: {ex.Message}");
                valid = false;
            }
        }

        return valid ? [.. list.Value.Select(p => p.Value)] : null;
    }

    private (TimeSpan Timeout, TimeSpan RequestTimeout) Timeouts(KafkaTableSettings settings)
    {
        bool timeoutSet = settings.Durations.TryGetValue(ConfigKeys.Timeout, out Located<TimeSpan> timeout);
        TimeSpan gather = timeoutSet ? timeout.Value : PluginDefaults.Timeout;

        // Unset, request_timeout follows a shorter timeout instead of contradicting it.
        if (!settings.Durations.TryGetValue(ConfigKeys.RequestTimeout, out Located<TimeSpan> requestTimeout))
        {
            return (gather, TimeSpan.FromTicks(Math.Min(PluginDefaults.RequestTimeout.Ticks, gather.Ticks)));
        }

        bool timeoutBroken = settings.WasWritten(ConfigKeys.Timeout) && !timeoutSet;
        if (!timeoutBroken && requestTimeout.Value > gather)
        {
            string gatherText = timeoutSet ? DurationText.Format(gather) : $"the default {DurationText.Format(gather)}";
            errors.Add(requestTimeout.Line, ConfigKeys.Qualified(ConfigKeys.RequestTimeout),
                $"{DurationText.Format(requestTimeout.Value)} is longer than timeout ({gatherText}); one request cannot outlast the whole gather");
        }

        return (gather, requestTimeout.Value);
    }

    private int MaxConcurrentRequests(KafkaTableSettings settings)
    {
        if (!settings.Integers.TryGetValue(ConfigKeys.MaxConcurrentRequests, out Located<long> value))
        {
            return PluginDefaults.MaxConcurrentRequests;
        }

        if (value.Value is < 1 or > PluginDefaults.MaxConcurrentRequestsLimit)
        {
            errors.Add(value.Line, ConfigKeys.Qualified(ConfigKeys.MaxConcurrentRequests),
                $"{value.Value} is not between 1 and {PluginDefaults.MaxConcurrentRequestsLimit}");
            return PluginDefaults.MaxConcurrentRequests;
        }

        return (int)value.Value;
    }

    private LogLevel ReadLogLevel(KafkaTableSettings settings)
    {
        if (!settings.Strings.TryGetValue(ConfigKeys.LogLevel, out Located<string> name))
        {
            return PluginDefaults.LogLevel;
        }

        foreach ((string known, LogLevel level) in LogLevels)
        {
            if (string.Equals(known, name.Value, StringComparison.OrdinalIgnoreCase))
            {
                return level;
            }
        }

        errors.Add(name.Line, ConfigKeys.Qualified(ConfigKeys.LogLevel),
            $"\"{name.Value}\" is not one of {string.Join(", ", LogLevels.Select(l => $"\"{l.Name}\""))}");
        return PluginDefaults.LogLevel;
    }

    private Dictionary<string, string> Librdkafka(KafkaTableSettings settings)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Located<KeyValuePair<string, string>> property in settings.Librdkafka)
        {
            if (!properties.TryAdd(property.Value.Key, property.Value.Value))
            {
                errors.Add(property.Line, ConfigKeys.QualifiedLibrdkafka(property.Value.Key), "is set more than once");
            }
        }

        return properties;
    }

    /// <summary>The absolute path of a file option, relative to the config file's folder; reports unreadable files.</summary>
    private string? ReadablePath(KafkaTableSettings settings, string key)
    {
        if (!settings.Strings.TryGetValue(key, out Located<string> path))
        {
            return null;
        }

        string fullPath = Path.GetFullPath(path.Value, baseDirectory);
        if (FileProblem(fullPath) is { } problem)
        {
            errors.Add(path.Line, ConfigKeys.Qualified(key), $"cannot read \"{fullPath}\": {problem}");
        }

        return fullPath;
    }

    private static string? FileProblem(string path)
    {
        if (Directory.Exists(path))
        {
            return "it is a directory";
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            return null;
        }
        catch (FileNotFoundException)
        {
            return "no such file";
        }
        catch (DirectoryNotFoundException)
        {
            return "no such directory";
        }
        catch (UnauthorizedAccessException)
        {
            return "permission denied";
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }
}
