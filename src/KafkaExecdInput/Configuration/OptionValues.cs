using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// The values of the [[inputs.kafka]] table (and its librdkafka sub-table), each read and checked
/// through its <see cref="OptionDeclaration"/>, with the line it came from. Unknown keys, values of
/// the wrong kind and values that break an option's rule are reported while reading.
/// </summary>
internal sealed class OptionValues
{
    private readonly Dictionary<OptionDeclaration, Located<object>> _set = [];
    private readonly HashSet<OptionDeclaration> _invalid = [];

    private OptionValues(int tableLine)
    {
        TableLine = tableLine;
    }

    /// <summary>Line of the [[inputs.kafka]] header, for problems with keys that are missing.</summary>
    public int TableLine { get; }

    /// <summary>The options given a usable value (an empty string counts as not set, as in Telegraf).</summary>
    public IReadOnlyDictionary<OptionDeclaration, object> Set => _set.ToDictionary(p => p.Key, p => p.Value.Value);

    /// <summary>Passthrough properties in file order, values in librdkafka's string form.</summary>
    public List<Located<KeyValuePair<string, string>>> Librdkafka { get; } = [];

    public static OptionValues Read(TableArraySyntax table, TableSyntax? librdkafkaTable, ConfigErrors errors, string baseDirectory)
    {
        var values = new OptionValues(TomlSyntax.Line(table));
        var reader = new Reader(values, errors, baseDirectory);
        foreach (KeyValueSyntax keyValue in table.Items)
        {
            reader.ReadEntry(keyValue);
        }

        foreach (KeyValueSyntax keyValue in librdkafkaTable?.Items ?? [])
        {
            if (keyValue.Key is not null)
            {
                reader.ReadPassthrough(TomlSyntax.KeyText(keyValue.Key), keyValue.Value, TomlSyntax.Line(keyValue));
            }
        }

        foreach (OptionDeclaration option in Options.All.Where(o => o.IsRequired && values.IsMissing(o)))
        {
            errors.Add(values.TableLine, option.QualifiedKey, $"is required, e.g. {option.Key} = {option.Example}");
        }

        return values;
    }

    public T Get<T>(Option<T> option) => _set.TryGetValue(option, out Located<object> value) ? (T)value.Value : option.Default;

    public bool TryGet<T>(Option<T> option, out Located<T> value)
    {
        bool set = _set.TryGetValue(option, out Located<object> boxed);
        value = set ? new((T)boxed.Value, boxed.Line) : default;
        return set;
    }

    public bool IsSet(OptionDeclaration option) => _set.ContainsKey(option);

    /// <summary>True when the option was given a value that has been reported as wrong already.</summary>
    public bool IsInvalid(OptionDeclaration option) => _invalid.Contains(option);

    /// <summary>
    /// True when the option has no usable value and was not given a wrong one either: only then is
    /// "is required" news to the user rather than a second message about the same mistake.
    /// </summary>
    public bool IsMissing(OptionDeclaration option) => !IsSet(option) && !IsInvalid(option);

    /// <summary>The line an option was set on, or the table's line when it was not set.</summary>
    public int LineOf(OptionDeclaration option) => _set.TryGetValue(option, out Located<object> value) ? value.Line : TableLine;

    private sealed class Reader(OptionValues values, ConfigErrors errors, string baseDirectory)
    {
        public void ReadEntry(KeyValueSyntax keyValue)
        {
            if (keyValue.Key is null)
            {
                return;
            }

            IReadOnlyList<string> segments = TomlSyntax.KeySegments(keyValue.Key);
            int line = TomlSyntax.Line(keyValue);

            // librdkafka = { … } and librdkafka.socket.timeout.ms = … are the sub-table written inline.
            if (segments[0] == Options.LibrdkafkaKey)
            {
                ReadInlinePassthrough(segments, keyValue.Value, line);
                return;
            }

            string key = TomlSyntax.KeyText(keyValue.Key);
            if (segments.Count > 1 || Options.Find(key) is not { } option)
            {
                errors.Add(line, Options.Qualified(key), UnknownKeyProblem(key));
                return;
            }

            Parsed<object?> parsed = option.Read(keyValue.Value, new ValueContext(errors, option, line, baseDirectory));
            if (parsed.State == ParseState.Set)
            {
                values._set[option] = new(parsed.Value!, line);
            }
            else if (parsed.State == ParseState.Invalid)
            {
                values._invalid.Add(option);
            }
        }

        public void ReadPassthrough(string property, ValueSyntax? value, int line)
        {
            if (!TomlSyntax.TryFormatForLibrdkafka(value, out string text))
            {
                errors.Add(line, Options.QualifiedLibrdkafka(property),
                    $"expected a string, number, boolean or array of those, got {TomlSyntax.Describe(value)}");
                return;
            }

            values.Librdkafka.Add(new(new(property, text), line));
        }

        private void ReadInlinePassthrough(IReadOnlyList<string> segments, ValueSyntax? value, int line)
        {
            if (segments.Count > 1)
            {
                ReadPassthrough(string.Join('.', segments.Skip(1)), value, line);
                return;
            }

            if (value is not InlineTableSyntax inline)
            {
                errors.Add(line, Options.Qualified(Options.LibrdkafkaKey), $"expected a table of librdkafka properties, got {TomlSyntax.Describe(value)}");
                return;
            }

            foreach (KeyValueSyntax keyValue in inline.Items.Select(item => item.KeyValue).OfType<KeyValueSyntax>())
            {
                if (keyValue.Key is not null)
                {
                    ReadPassthrough(TomlSyntax.KeyText(keyValue.Key), keyValue.Value, TomlSyntax.Line(keyValue));
                }
            }
        }

        private static string UnknownKeyProblem(string key)
        {
            string? suggestion = Options.All
                .Select(known => (known.Key, Distance: EditDistance(known.Key, key)))
                .Where(candidate => candidate.Distance <= Math.Max(2, key.Length / 4))
                .OrderBy(candidate => candidate.Distance)
                .ThenBy(candidate => candidate.Key, StringComparer.Ordinal)
                .Select(candidate => candidate.Key)
                .FirstOrDefault();
            return suggestion is null
                ? $"unknown key (librdkafka properties go into the [{Options.LibrdkafkaTable}] table)"
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
}
