using System.Globalization;
using System.Text;

namespace KafkaExecdInput.Logging;

/// <summary>Text helpers that keep a log record on one line, as Telegraf reads stderr line by line.</summary>
internal static class LogText
{
    /// <summary>Longest name <see cref="Quote"/> shows in full; longer names are shortened.</summary>
    public const int MaxQuotedLength = 256;

    /// <summary>
    /// Replaces line breaks and other control characters (except TAB) with visible escapes
    /// (<c>\n</c>, <c>\r</c>, <c>\x1B</c>), so a multi-line message or stack trace stays one record.
    /// </summary>
    public static void AppendFlattened(StringBuilder builder, ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    builder.Append("\\n");
                    i++;
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append(c);
                    break;
                case < ' ' or '\u007f':
                    builder.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    public static string Flatten(string text)
    {
        var builder = new StringBuilder(text.Length);
        AppendFlattened(builder, text);
        return builder.ToString();
    }

    /// <summary>
    /// A name as it should appear in a log message: in double quotes, with quotes, backslashes,
    /// control characters and unpaired surrogates escaped C#-style, and cut after
    /// <see cref="MaxQuotedLength"/> characters — so a hostile topic or group name can neither
    /// break the log line nor hide what it is.
    /// </summary>
    public static string Quote(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxQuotedLength) + 8);
        builder.Append('"');
        int shown = Math.Min(name.Length, MaxQuotedLength);
        for (int i = 0; i < shown; i++)
        {
            char c = name[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '\u007f':
                    AppendUnicodeEscape(builder, c);
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                    {
                        builder.Append(c).Append(name[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        AppendUnicodeEscape(builder, c);
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        if (name.Length > shown)
        {
            builder.Append("…(").Append(name.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        }

        return builder.ToString();
    }

    private static void AppendUnicodeEscape(StringBuilder builder, char c) =>
        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
}
