namespace KafkaExecdInput.Configuration;

/// <summary>
/// Turns the checked option values into a <see cref="PluginConfig"/>: the rules that involve several
/// options (each option's own rule is in its declaration), and what several options make together.
/// </summary>
internal sealed class PluginConfigAssembler(ConfigErrors errors)
{
    /// <summary>The configuration, or null when any problem was reported.</summary>
    public PluginConfig? Assemble(OptionValues values)
    {
        TlsSettings tls = Tls(values);
        SaslSettings sasl = Sasl(values);
        TimeSpan requestTimeout = RequestTimeout(values);
        IReadOnlyDictionary<string, string> librdkafka = Librdkafka(values);
        CheckShardOptions(values);
        if (errors.Any)
        {
            return null;
        }

        return new PluginConfig(values.Set)
        {
            Tls = tls,
            Sasl = sasl,
            TopicFilter = NameFilter.FromPatterns(values.Get(Options.TopicInclude), values.Get(Options.TopicExclude)),
            GroupFilter = NameFilter.FromPatterns(values.Get(Options.GroupInclude), values.Get(Options.GroupExclude)),
            RequestTimeout = requestTimeout,
            Librdkafka = librdkafka,
        };
    }

    private TlsSettings Tls(OptionValues values)
    {
        if (values.IsSet(Options.TlsCert) != values.IsSet(Options.TlsKey)
            && !values.IsInvalid(Options.TlsCert) && !values.IsInvalid(Options.TlsKey))
        {
            (Option<string?> present, Option<string?> missing) = values.IsSet(Options.TlsCert)
                ? (Options.TlsCert, Options.TlsKey)
                : (Options.TlsKey, Options.TlsCert);
            errors.Add(values.LineOf(present), present.QualifiedKey, $"needs {missing.Key} too: a client certificate and its key go together");
        }

        if (values.IsSet(Options.TlsKeyPwd) && values.IsMissing(Options.TlsKey))
        {
            errors.Add(values.LineOf(Options.TlsKeyPwd), Options.TlsKeyPwd.QualifiedKey, $"is set but {Options.TlsKey.Key} is not");
        }

        bool insecure = values.Get(Options.InsecureSkipVerify);

        // As in Telegraf: TLS is on when asked for, or by default when any TLS option is given.
        bool enabled = values.Get(Options.EnableTls)
            ?? (values.IsSet(Options.TlsCa) || values.IsSet(Options.TlsCert) || values.IsSet(Options.TlsKey) || insecure);

        return new TlsSettings(
            enabled, values.Get(Options.TlsCa), values.Get(Options.TlsCert), values.Get(Options.TlsKey), values.Get(Options.TlsKeyPwd), insecure);
    }

    private SaslSettings Sasl(OptionValues values)
    {
        if (values.IsInvalid(Options.SaslMechanism))
        {
            return SaslSettings.None;
        }

        SaslMechanism mechanism = values.Get(Options.SaslMechanism);
        foreach (OptionDeclaration option in Options.All)
        {
            if (option.UsedBySasl is { } usedBy && values.IsSet(option) && !usedBy.Contains(mechanism))
            {
                string current = mechanism == SaslMechanism.None
                    ? "but sasl_mechanism is not set"
                    : $"not with sasl_mechanism = \"{SaslMechanismNames.ToName(mechanism)}\"";
                string owners = string.Join(", ", usedBy.Select(m => $"\"{SaslMechanismNames.ToName(m)}\""));
                errors.Add(values.LineOf(option), option.QualifiedKey, $"is used only with sasl_mechanism = {owners}, {current}");
            }
        }

        string? username = values.Get(Options.SaslUsername);
        switch (mechanism)
        {
            case SaslMechanism.Plain or SaslMechanism.ScramSha256 or SaslMechanism.ScramSha512:
                RequireForMechanism(values, Options.SaslUsername, mechanism);
                RequireForMechanism(values, Options.SaslPassword, mechanism);
                return new SaslSettings(mechanism, username, values.Get(Options.SaslPassword));
            case SaslMechanism.Gssapi:
                return new SaslSettings(mechanism, username) { Kerberos = Kerberos(values) };
            case SaslMechanism.OAuthBearer:
                return new SaslSettings(mechanism) { OAuthBearer = OAuthBearer(values) };
            default:
                return SaslSettings.None;
        }
    }

    private KerberosSettings Kerberos(OptionValues values)
    {
        foreach (OptionDeclaration needsPrincipal in new OptionDeclaration[] { Options.SaslGssapiKeyTabPath, Options.SaslGssapiRealm })
        {
            if (values.IsSet(needsPrincipal) && values.IsMissing(Options.SaslUsername))
            {
                errors.Add(values.LineOf(needsPrincipal), needsPrincipal.QualifiedKey,
                    "needs sasl_username: the Kerberos principal is sasl_username (with @sasl_gssapi_realm appended)");
            }
        }

        return new KerberosSettings(
            values.Get(Options.SaslGssapiServiceName)!,
            values.Get(Options.SaslGssapiKeyTabPath),
            values.Get(Options.SaslGssapiKerberosConfigPath),
            values.Get(Options.SaslGssapiRealm));
    }

    private OAuthBearerSettings OAuthBearer(OptionValues values)
    {
        OptionDeclaration[] oidcRequired = [Options.SaslOAuthBearerClientId, Options.SaslOAuthBearerClientSecret, Options.SaslOAuthBearerTokenEndpointUrl];
        bool anyOidc = oidcRequired.Any(values.IsSet) || values.IsSet(Options.SaslOAuthBearerScope);
        Secret? token = values.Get(Options.SaslAccessToken);
        if (token is not null && anyOidc)
        {
            errors.Add(values.LineOf(Options.SaslAccessToken), Options.SaslAccessToken.QualifiedKey,
                "cannot be combined with the sasl_oauthbearer_* OIDC settings: use a static token or OIDC client credentials, not both");
            return OAuthBearerSettings.None;
        }

        if (token is not null)
        {
            return new OAuthBearerSettings(AccessToken: token);
        }

        if (!anyOidc)
        {
            // A token or OIDC key with a wrong value has been reported; "needs a token" would say it twice.
            if (!values.IsInvalid(Options.SaslAccessToken) && !oidcRequired.Any(values.IsInvalid))
            {
                errors.Add(values.LineOf(Options.SaslMechanism), Options.SaslMechanism.QualifiedKey,
                    "\"OAUTHBEARER\" needs sasl_access_token, or sasl_oauthbearer_client_id, sasl_oauthbearer_client_secret and sasl_oauthbearer_token_endpoint_url");
            }

            return OAuthBearerSettings.None;
        }

        foreach (OptionDeclaration option in oidcRequired.Where(values.IsMissing))
        {
            errors.Add(values.LineOf(Options.SaslMechanism), option.QualifiedKey, "is required for OIDC client credentials");
        }

        return new OAuthBearerSettings(
            ClientId: values.Get(Options.SaslOAuthBearerClientId),
            ClientSecret: values.Get(Options.SaslOAuthBearerClientSecret),
            TokenEndpointUrl: values.Get(Options.SaslOAuthBearerTokenEndpointUrl),
            Scope: values.Get(Options.SaslOAuthBearerScope));
    }

    private void RequireForMechanism(OptionValues values, OptionDeclaration option, SaslMechanism mechanism)
    {
        if (values.IsMissing(option))
        {
            errors.Add(values.LineOf(Options.SaslMechanism), option.QualifiedKey,
                $"is required with sasl_mechanism = \"{SaslMechanismNames.ToName(mechanism)}\"");
        }
    }

    /// <summary>An agent is one shard, cut one way: two ways at once would own lines neither cut assigns it.</summary>
    private void CheckShardOptions(OptionValues values)
    {
        if (values.IsSet(Options.Shard) && values.IsSet(Options.ShardByBroker))
        {
            errors.Add(values.LineOf(Options.ShardByBroker), Options.ShardByBroker.QualifiedKey,
                $"cannot be combined with {Options.Shard.Key}: split the cluster by hash or by broker, not both");
        }
    }

    /// <summary>Unset, request_timeout follows a shorter timeout instead of contradicting it.</summary>
    private TimeSpan RequestTimeout(OptionValues values)
    {
        TimeSpan timeout = values.Get(Options.Timeout);
        if (!values.TryGet(Options.RequestTimeout, out Located<TimeSpan> requestTimeout))
        {
            return TimeSpan.FromTicks(Math.Min(Options.RequestTimeout.Default.Ticks, timeout.Ticks));
        }

        if (!values.IsInvalid(Options.Timeout) && requestTimeout.Value > timeout)
        {
            string timeoutText = values.IsSet(Options.Timeout) ? DurationText.Format(timeout) : $"the default {DurationText.Format(timeout)}";
            errors.Add(requestTimeout.Line, Options.RequestTimeout.QualifiedKey,
                $"{DurationText.Format(requestTimeout.Value)} is longer than timeout ({timeoutText}); one request cannot outlast the whole gather");
        }

        return requestTimeout.Value;
    }

    private Dictionary<string, string> Librdkafka(OptionValues values)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Located<KeyValuePair<string, string>> property in values.Librdkafka)
        {
            if (!properties.TryAdd(property.Value.Key, property.Value.Value))
            {
                errors.Add(property.Line, Options.QualifiedLibrdkafka(property.Value.Key), "is set more than once");
            }
        }

        return properties;
    }
}
