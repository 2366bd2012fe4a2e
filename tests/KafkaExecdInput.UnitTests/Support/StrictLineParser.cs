using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KafkaExecdInput.UnitTests.Support;

/// <summary>One parsed line: the values exactly as a reader would see them after unescaping.</summary>
internal sealed record ParsedLine(
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<KeyValuePair<string, object>> Fields,
    long Timestamp)
{
    public string? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;

    public object? Field(string key) => Fields.FirstOrDefault(f => f.Key == key).Value;
}

/// <summary>
/// A line-protocol reader for tests that accepts only what Telegraf's internal parser, Telegraf's
/// upstream parser and InfluxDB 1.6 all read the same way (the rules written down on
/// <c>LineProtocolSyntax</c>). Anything those readers disagree on is a parse error here, so a
/// writer bug that only one of them would notice still fails a test.
/// </summary>
internal static partial class StrictLineParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Splits a buffer into lines; every line must end in '\n'.</summary>
    public static IReadOnlyList<ParsedLine> ParseAll(ReadOnlySpan<byte> utf8)
    {
        string text = StrictUtf8.GetString(utf8);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("Output does not end with a newline.");
        }

        var lines = new List<ParsedLine>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                lines.Add(Parse(line));
            }
        }

        return lines;
    }

    public static ParsedLine Parse(string line)
    {
        var reader = new Reader(line);
        string measurement = reader.ReadMeasurement();
        var tags = new List<KeyValuePair<string, string>>();
        while (reader.TryConsume(','))
        {
            string key = reader.ReadTagToken(isKey: true);
            reader.Expect('=');
            string value = reader.ReadTagToken(isKey: false);
            if (tags.Count > 0 && string.CompareOrdinal(tags[^1].Key, key) >= 0)
            {
                throw new FormatException($"Tag keys out of canonical order at '{key}' in: {line}");
            }

            tags.Add(new(key, value));
        }

        reader.Expect(' ');
        var fields = new List<KeyValuePair<string, object>>();
        do
        {
            string key = reader.ReadFieldKey();
            reader.Expect('=');
            fields.Add(new(key, reader.ReadFieldValue()));
        }
        while (reader.TryConsume(','));

        reader.Expect(' ');
        long timestamp = reader.ReadTimestamp();
        reader.ExpectEnd();
        return new ParsedLine(measurement, tags, fields, timestamp);
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?(E[+-][0-9]+)?$")]
    private static partial Regex FloatSyntax();

    [GeneratedRegex(@"^-?[0-9]+$")]
    private static partial Regex IntegerSyntax();

    private sealed class Reader(string line)
    {
        private int _pos;

        public bool TryConsume(char c)
        {
            if (_pos < line.Length && line[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        public void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Error($"expected '{c}'");
            }
        }

        public void ExpectEnd()
        {
            if (_pos != line.Length)
            {
                throw Error("expected end of line");
            }
        }

        public string ReadMeasurement()
        {
            var sb = new StringBuilder();
            while (_pos < line.Length && line[_pos] != ',' && line[_pos] != ' ')
            {
                char c = line[_pos++];
                RejectControl(c);
                if (c == '\\')
                {
                    char next = Peek("escape");
                    if (next is not (',' or ' '))
                    {
                        throw Error("backslash in a measurement");
                    }

                    _pos++;
                    c = next;
                }

                sb.Append(c);
            }

            if (sb.Length == 0 || sb[0] == '#')
            {
                throw Error("missing or commented-out measurement");
            }

            return sb.ToString();
        }

        public string ReadTagToken(bool isKey)
        {
            var sb = new StringBuilder();
            while (_pos < line.Length)
            {
                char c = line[_pos];
                if (c is ',' or ' ' || (c == '=' && isKey))
                {
                    break;
                }

                if (c == '=')
                {
                    throw Error("unescaped '=' in a tag value");
                }

                RejectControl(c);
                _pos++;
                if (c == '\\')
                {
                    char next = Peek("character after a backslash");
                    if (next is ',' or '=' or ' ')
                    {
                        _pos++;
                        sb.Append(next);
                        continue;
                    }

                    if (next == '"')
                    {
                        throw Error("backslash before a quote (readers disagree)");
                    }
                }

                sb.Append(c);
            }

            if (sb.Length == 0)
            {
                throw Error(isKey ? "empty tag key" : "empty tag value");
            }

            return sb.ToString();
        }

        public string ReadFieldKey()
        {
            int start = _pos;
            var sb = new StringBuilder();
            while (_pos < line.Length && line[_pos] is not ('=' or ',' or ' '))
            {
                char c = line[_pos++];
                RejectControl(c);
                if (c == '\\')
                {
                    throw Error("backslash in a field key");
                }

                sb.Append(c);
            }

            if (_pos == start)
            {
                throw Error("empty field key");
            }

            return sb.ToString();
        }

        public object ReadFieldValue()
        {
            if (TryConsume('"'))
            {
                var sb = new StringBuilder();
                while (true)
                {
                    char c = Peek("closing quote");
                    _pos++;
                    if (c == '"')
                    {
                        return sb.ToString();
                    }

                    if (c != '\t')
                    {
                        RejectControl(c);
                    }

                    if (c == '\\')
                    {
                        char next = Peek("escaped character");
                        if (next is not ('\\' or '"'))
                        {
                            throw Error("backslash that escapes neither \\ nor \"");
                        }

                        _pos++;
                        c = next;
                    }

                    sb.Append(c);
                }
            }

            int start = _pos;
            while (_pos < line.Length && line[_pos] is not (',' or ' '))
            {
                _pos++;
            }

            string token = line[start.._pos];
            if (token is "true" or "false")
            {
                return token == "true";
            }

            if (token.EndsWith('i') && IntegerSyntax().IsMatch(token[..^1]))
            {
                return long.Parse(token[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }

            if (FloatSyntax().IsMatch(token))
            {
                return double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            throw Error($"unrecognised field value '{token}'");
        }

        public long ReadTimestamp()
        {
            int start = _pos;
            while (_pos < line.Length && (char.IsAsciiDigit(line[_pos]) || (line[_pos] == '-' && _pos == start)))
            {
                _pos++;
            }

            return long.Parse(line.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        private char Peek(string what)
        {
            if (_pos >= line.Length)
            {
                throw Error($"end of line, expected {what}");
            }

            return line[_pos];
        }

        private void RejectControl(char c)
        {
            if (c < ' ' || c == '\u007f')
            {
                throw Error($"control character U+{(int)c:X4}");
            }
        }

        private FormatException Error(string problem) => new($"{problem} at column {_pos + 1} in: {line}");
    }
}
