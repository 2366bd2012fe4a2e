using System.Buffers;

namespace KafkaExecdInput.LineProtocol;

/// <summary>Why a string cannot be written as a tag key or value (or as a string field value).</summary>
internal enum NameProblem
{
    None,
    Empty,
    ControlCharacter,
    TrailingBackslash,
    BackslashBeforeQuote,
    LoneSurrogate,
}

/// <summary>
/// Which strings the writer can put into a line so that every reader gets the exact same string
/// back, and how they are escaped.
/// </summary>
/// <remarks>
/// <para>The rule is the intersection of three readers, because a line is only safe when all of
/// them agree on it:</para>
/// <list type="bullet">
/// <item>Telegraf's default ("internal") influx parser, plugins/parsers/influx/machine.go.rl and
/// escape.go: a tag character is anything but TAB LF VT FF CR space , = \, or a backslash pair
/// <c>\x</c> (x not one of those whitespace characters, and <c>\\</c> is re-scanned so the second
/// backslash can start a new pair). Unescaping replaces only <c>\,</c> <c>\=</c> <c>\ </c> and
/// <c>\"</c> — and only when the token contains a space, comma or equals sign.</item>
/// <item>Telegraf's "upstream" parser (influxdata/line-protocol v2, lineprotocol/decoder.go):
/// tag keys and values may not hold any byte 0–31 or 127 at all; a backslash before , = or space
/// is removed, every other backslash is kept as it is.</item>
/// <item>InfluxDB 1.6 (models/points.go, and checked against influxd 1.6.7 on this machine):
/// a , = or space preceded by a backslash is escaped and <c>\,</c> <c>\=</c> <c>\ </c> are
/// unescaped; a trailing backslash before the delimiter answers 400 "invalid tag format";
/// <c>a\"b</c> is stored with its backslash; a raw TAB in a tag value is accepted; in a string
/// field <c>\n</c> stays a backslash and an n.</item>
/// </list>
/// <para>Adopted rule for tag keys and values: write every character as UTF-8, with a backslash in
/// front of each , = and space; never add a backslash in front of a backslash. So <c>a\,b</c> is
/// written <c>a\\,b</c> and read back as <c>a\,b</c> by all three. Unrepresentable (rejected, never
/// written): the empty string; any control character U+0000–U+001F or U+007F (the upstream parser
/// rejects them and CR/LF would end the line); a trailing backslash (it would escape the following
/// delimiter); a backslash directly before <c>"</c> (Telegraf's internal parser drops that
/// backslash when the value also holds a space, comma or equals, InfluxDB and the upstream parser
/// keep it); a lone UTF-16 surrogate (no UTF-8 form).</para>
/// <para>String field values: <c>\</c> and <c>"</c> are escaped with a backslash, which all readers
/// undo. Control characters other than TAB are rejected: a raw CR or LF would be accepted by some
/// readers but breaks the one-record-per-line promise, and <c>\n</c> means a newline to the upstream
/// parser but is a syntax error to the internal one.</para>
/// <para>Measurements and field keys are the plugin's own constants: they must be printable, hold
/// no backslash (the internal parser treats <c>\\</c> in those positions as a pair, the others do
/// not), and a measurement may not start with <c>#</c> (a comment line).</para>
/// </remarks>
internal static class LineProtocolSyntax
{
    /// <summary>Characters escaped with a backslash in tag keys, tag values and field keys.</summary>
    internal static readonly SearchValues<char> KeyEscapes = SearchValues.Create(", =");

    /// <summary>Characters escaped with a backslash in measurements.</summary>
    internal static readonly SearchValues<char> MeasurementEscapes = SearchValues.Create(", ");

    /// <summary>Characters escaped with a backslash inside a quoted string field value.</summary>
    internal static readonly SearchValues<char> StringFieldEscapes = SearchValues.Create("\\\"");

    // IndexOfAnyExceptInRange allocates while it runs as tier-0 code (generic math boxing), which
    // made the writer allocate in short-lived processes; SearchValues never does.
    private static readonly SearchValues<char> PrintableAscii = SearchValues.Create(
        string.Create('~' - ' ' + 1, 0, static (chars, _) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)(' ' + i);
            }
        }));

    public static NameProblem CheckTagValue(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return NameProblem.Empty;
        }

        // Fast path: plain printable ASCII without a backslash is the overwhelmingly common case.
        int suspicious = value.IndexOfAnyExcept(PrintableAscii);
        int backslash = value.IndexOf('\\');
        if (suspicious < 0 && backslash < 0)
        {
            return NameProblem.None;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (IsAsciiControl(c))
            {
                return NameProblem.ControlCharacter;
            }

            if (c == '\\')
            {
                if (i == value.Length - 1)
                {
                    return NameProblem.TrailingBackslash;
                }

                if (value[i + 1] == '"')
                {
                    return NameProblem.BackslashBeforeQuote;
                }
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return NameProblem.LoneSurrogate;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return NameProblem.LoneSurrogate;
            }
        }

        return NameProblem.None;
    }

    public static NameProblem CheckStringField(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAnyExcept(PrintableAscii) < 0)
        {
            return NameProblem.None;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '\t' && IsAsciiControl(c))
            {
                return NameProblem.ControlCharacter;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return NameProblem.LoneSurrogate;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return NameProblem.LoneSurrogate;
            }
        }

        return NameProblem.None;
    }

    private static bool IsAsciiControl(char c) => c < ' ' || c == '\u007f';

    /// <summary>True for the plugin's own measurement names and field keys (see remarks on the class).</summary>
    public static bool IsPlainIdentifier(ReadOnlySpan<char> name) =>
        !name.IsEmpty && name.IndexOfAnyExcept(PrintableAscii) < 0 && name.IndexOf('\\') < 0;

    public static bool IsValidMeasurement(ReadOnlySpan<char> name) => IsPlainIdentifier(name) && name[0] != '#';

    /// <summary>A short reason for a log message, e.g. "contains a control character".</summary>
    public static string Describe(NameProblem problem) => problem switch
    {
        NameProblem.None => "is valid",
        NameProblem.Empty => "is empty",
        NameProblem.ControlCharacter => "contains a control character (e.g. a newline or tab)",
        NameProblem.TrailingBackslash => "ends with a backslash",
        NameProblem.BackslashBeforeQuote => "contains a backslash directly before a double quote",
        NameProblem.LoneSurrogate => "contains an unpaired UTF-16 surrogate",
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };
}
