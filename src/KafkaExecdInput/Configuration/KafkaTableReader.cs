using System.Globalization;
using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>The [[inputs.kafka]] table's values, typed but not yet checked against each other.</summary>
internal sealed class KafkaTableSettings(int tableLine)
{
    /// <summary>Line of the [[inputs.kafka]] header, for problems with keys that are missing.</summary>
    public int TableLine => tableLine;

    public Dictionary<string, Located<string>> Strings { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Located<bool>> Booleans { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Located<long>> Integers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Located<TimeSpan>> Durations { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Located<IReadOnlyList<Located<string>>>> Lists { get; } = new(StringComparer.Ordinal);

    /// <summary>Passthrough properties in file order, values in librdkafka's string form.</summary>
    public List<Located<KeyValuePair<string, string>>> Librdkafka { get; } = [];

    /// <summary>Keys that appear in the file, whether or not their value was usable.</summary>
    public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys whose value was of the wrong type or invalid; that has been reported already.</summary>
    public HashSet<string> Invalid { get; } = new(StringComparer.Ordinal);

    public string? String(string key) => Strings.TryGetValue(key, out Located<string> value) ? value.Value : null;

    /// <summary>
    /// True when the key has no usable value and was not given an invalid one either: only then is
    /// "is required" news to the user rather than a second message about the same mistake.
    /// </summary>
    public bool IsMissing(string key) => !IsSet(key) && !Invalid.Contains(key);

    public bool WasWritten(string key) => Written.Contains(key);

    /// <summary>True when the key has a usable value (an empty string counts as not set, as in Telegraf).</summary>
    public bool IsSet(string key) =>
        Strings.ContainsKey(key) || Booleans.ContainsKey(key) || Integers.ContainsKey(key)
        || Durations.ContainsKey(key) || Lists.ContainsKey(key);

    /// <summary>The line a key was set on, or the table's line when it was not set.</summary>
    public int LineOf(string key) =>
        Strings.TryGetValue(key, out Located<string> s) ? s.Line
        : Booleans.TryGetValue(key, out Located<bool> b) ? b.Line
        : Integers.TryGetValue(key, out Located<long> i) ? i.Line
        : Durations.TryGetValue(key, out Located<TimeSpan> d) ? d.Line
        : Lists.TryGetValue(key, out Located<IReadOnlyList<Located<string>>> l) ? l.Line
        : TableLine;
}

/// <summary>
/// Reads the key/values of the [[inputs.kafka]] table (and its librdkafka sub-table) into
/// <see cref="KafkaTableSettings"/>, reporting unknown keys and values of the wrong type.
/// </summary>
internal sealed class KafkaTableReader(ConfigErrors errors)
{
    private enum ValueKind
    {
        String,
        StringList,
        Boolean,
        Integer,
        Duration,
    }

    private static readonly Dictionary<string, ValueKind> Kinds = new(StringComparer.Ordinal)
    {
        [ConfigKeys.Brokers] = ValueKind.StringList,
        [ConfigKeys.ClientId] = ValueKind.String,
        [ConfigKeys.EnableTls] = ValueKind.Boolean,
        [ConfigKeys.TlsCa] = ValueKind.String,
        [ConfigKeys.TlsCert] = ValueKind.String,
        [ConfigKeys.TlsKey] = ValueKind.String,
        [ConfigKeys.TlsKeyPwd] = ValueKind.String,
        [ConfigKeys.InsecureSkipVerify] = ValueKind.Boolean,
        [ConfigKeys.SaslMechanism] = ValueKind.String,
        [ConfigKeys.SaslUsername] = ValueKind.String,
        [ConfigKeys.SaslPassword] = ValueKind.String,
        [ConfigKeys.SaslGssapiServiceName] = ValueKind.String,
        [ConfigKeys.SaslGssapiKeyTabPath] = ValueKind.String,
        [ConfigKeys.SaslGssapiKerberosConfigPath] = ValueKind.String,
        [ConfigKeys.SaslGssapiRealm] = ValueKind.String,
        [ConfigKeys.SaslAccessToken] = ValueKind.String,
        [ConfigKeys.SaslOAuthBearerClientId] = ValueKind.String,
        [ConfigKeys.SaslOAuthBearerClientSecret] = ValueKind.String,
        [ConfigKeys.SaslOAuthBearerTokenEndpointUrl] = ValueKind.String,
        [ConfigKeys.SaslOAuthBearerScope] = ValueKind.String,
        [ConfigKeys.TopicInclude] = ValueKind.StringList,
        [ConfigKeys.TopicExclude] = ValueKind.StringList,
        [ConfigKeys.GroupInclude] = ValueKind.StringList,
        [ConfigKeys.GroupExclude] = ValueKind.StringList,
        [ConfigKeys.Timeout] = ValueKind.Duration,
        [ConfigKeys.RequestTimeout] = ValueKind.Duration,
        [ConfigKeys.MaxConcurrentRequests] = ValueKind.Integer,
        [ConfigKeys.Interval] = ValueKind.Duration,
        [ConfigKeys.LogLevel] = ValueKind.String,
    };

    /// <summary>Every option the table accepts (the librdkafka sub-table aside).</summary>
    public static IReadOnlyCollection<string> KnownKeys => Kinds.Keys;

    public KafkaTableSettings Read(TableArraySyntax table, TableSyntax? librdkafkaTable)
    {
        var settings = new KafkaTableSettings(TomlSyntax.Line(table));
        foreach (KeyValueSyntax keyValue in table.Items)
        {
            ReadEntry(keyValue, settings);
        }

        if (librdkafkaTable is not null)
        {
            foreach (KeyValueSyntax keyValue in librdkafkaTable.Items)
            {
                if (keyValue.Key is not null)
                {
                    ReadPassthrough(TomlSyntax.KeyText(keyValue.Key), keyValue.Value, TomlSyntax.Line(keyValue), settings);
                }
            }
        }

        return settings;
    }

    private void ReadEntry(KeyValueSyntax keyValue, KafkaTableSettings settings)
    {
        if (keyValue.Key is null)
        {
            return;
        }

        IReadOnlyList<string> segments = TomlSyntax.KeySegments(keyValue.Key);
        int line = TomlSyntax.Line(keyValue);
        ValueSyntax? value = keyValue.Value;

        // librdkafka = { … } and librdkafka.socket.timeout.ms = … are the sub-table written inline.
        if (segments[0] == ConfigKeys.Librdkafka)
        {
            ReadInlinePassthrough(segments, value, line, settings);
            return;
        }

        string key = TomlSyntax.KeyText(keyValue.Key);
        if (segments.Count > 1 || !Kinds.TryGetValue(key, out ValueKind kind))
        {
            errors.Add(line, ConfigKeys.Qualified(key), UnknownKeyProblem(key));
            return;
        }

        settings.Written.Add(key);
        bool valid = true;
        switch (kind)
        {
            case ValueKind.String:
                if (Expect<StringValueSyntax>(key, value, "a string", line) is not { } text)
                {
                    valid = false;
                }
                else if (!string.IsNullOrEmpty(text.Value))
                {
                    settings.Strings[key] = new(text.Value, line);
                }

                break;
            case ValueKind.Boolean:
                if (Expect<BooleanValueSyntax>(key, value, "true or false", line) is { } flag)
                {
                    settings.Booleans[key] = new(flag.Value, line);
                }
                else
                {
                    valid = false;
                }

                break;
            case ValueKind.Integer:
                if (Expect<IntegerValueSyntax>(key, value, "an integer", line) is { } integer)
                {
                    settings.Integers[key] = new(integer.Value, line);
                }
                else
                {
                    valid = false;
                }

                break;
            case ValueKind.StringList:
                if (ReadStringList(key, value, line) is { } list)
                {
                    settings.Lists[key] = new(list, line);
                }
                else
                {
                    valid = false;
                }

                break;
            case ValueKind.Duration:
                if (ReadDuration(key, value, line) is { } duration)
                {
                    settings.Durations[key] = new(duration, line);
                }
                else
                {
                    valid = false;
                }

                break;
        }

        if (!valid)
        {
            settings.Invalid.Add(key);
        }
    }

    private T? Expect<T>(string key, ValueSyntax? value, string expected, int line)
        where T : ValueSyntax
    {
        if (value is T typed)
        {
            return typed;
        }

        errors.Add(line, ConfigKeys.Qualified(key), $"expected {expected}, got {TomlSyntax.Describe(value)}");
        return null;
    }

    private List<Located<string>>? ReadStringList(string key, ValueSyntax? value, int line)
    {
        if (Expect<ArraySyntax>(key, value, "an array of strings", line) is not { } array)
        {
            return null;
        }

        var items = new List<Located<string>>();
        int index = 0;
        foreach (ArrayItemSyntax item in array.Items)
        {
            if (item.Value is StringValueSyntax text)
            {
                items.Add(new(text.Value ?? "", TomlSyntax.Line(item)));
            }
            else
            {
                errors.Add(TomlSyntax.Line(item), $"{ConfigKeys.Qualified(key)}[{index}]", $"expected a string, got {TomlSyntax.Describe(item.Value)}");
            }

            index++;
        }

        return items;
    }

    /// <summary>A Go duration string, or a TOML number meaning seconds (as Telegraf reads durations).</summary>
    private TimeSpan? ReadDuration(string key, ValueSyntax? value, int line)
    {
        string qualified = ConfigKeys.Qualified(key);
        switch (value)
        {
            case StringValueSyntax { Value: var text }:
                if (!DurationText.TryParse(text ?? "", out TimeSpan parsed, out string? problem))
                {
                    errors.Add(line, qualified, $"\"{text}\" {problem}");
                    return null;
                }

                return CheckDurationRange(qualified, $"\"{text}\"", parsed, line);
            case IntegerValueSyntax { Value: var seconds }:
                return CheckDurationRange(qualified, seconds.ToString(CultureInfo.InvariantCulture), SecondsOrMax(seconds), line);
            case FloatValueSyntax { Value: var seconds } when double.IsFinite(seconds):
                return CheckDurationRange(qualified, seconds.ToString("R", CultureInfo.InvariantCulture), SecondsOrMax(seconds), line);
            default:
                errors.Add(line, qualified, $"expected a duration such as \"10s\", got {TomlSyntax.Describe(value)}");
                return null;
        }
    }

    private TimeSpan? CheckDurationRange(string qualifiedKey, string written, TimeSpan duration, int line)
    {
        if (duration <= TimeSpan.Zero)
        {
            errors.Add(line, qualifiedKey, $"{written} is not a positive duration");
            return null;
        }

        if (duration < PluginDefaults.MinDuration)
        {
            errors.Add(line, qualifiedKey, $"{written} is shorter than 1ms");
            return null;
        }

        if (duration > PluginDefaults.MaxDuration)
        {
            errors.Add(line, qualifiedKey, $"{written} is longer than 24h");
            return null;
        }

        return duration;
    }

    private static TimeSpan SecondsOrMax(double seconds) =>
        Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;

    private void ReadInlinePassthrough(IReadOnlyList<string> segments, ValueSyntax? value, int line, KafkaTableSettings settings)
    {
        if (segments.Count > 1)
        {
            ReadPassthrough(string.Join('.', segments.Skip(1)), value, line, settings);
            return;
        }

        if (value is not InlineTableSyntax inline)
        {
            errors.Add(line, ConfigKeys.Qualified(ConfigKeys.Librdkafka), $"expected a table of librdkafka properties, got {TomlSyntax.Describe(value)}");
            return;
        }

        foreach (InlineTableItemSyntax item in inline.Items)
        {
            if (item.KeyValue is { Key: { } key } keyValue)
            {
                ReadPassthrough(TomlSyntax.KeyText(key), keyValue.Value, TomlSyntax.Line(keyValue), settings);
            }
        }
    }

    private void ReadPassthrough(string property, ValueSyntax? value, int line, KafkaTableSettings settings)
    {
        if (!TomlSyntax.TryFormatForLibrdkafka(value, out string text))
        {
            errors.Add(line, ConfigKeys.QualifiedLibrdkafka(property),
                $"expected a string, number, boolean or array of those, got {TomlSyntax.Describe(value)}");
            return;
        }

        settings.Librdkafka.Add(new(new(property, text), line));
    }

    private static string UnknownKeyProblem(string key)
    {
        string? suggestion = KnownKeys
            .Select(known => (Key: known, Distance: EditDistance(known, key)))
            .Where(candidate => candidate.Distance <= Math.Max(2, key.Length / 4))
            .OrderBy(candidate => candidate.Distance)
            .ThenBy(candidate => candidate.Key, StringComparer.Ordinal)
            .Select(candidate => candidate.Key)
            .FirstOrDefault();
        return suggestion is null
            ? "unknown key (librdkafka properties go into the [inputs.kafka.librdkafka] table)"
            : $"unknown key; did you mean \"{suggestion}\"?";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
