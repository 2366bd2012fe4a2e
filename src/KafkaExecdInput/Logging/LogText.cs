using System.Globalization;
using System.Text;

namespace KafkaExecdInput.Logging;

/// <summary>How names from the cluster (topics, groups, hosts) are shown inside log messages.</summary>
internal static class LogText
{
    /// <summary>Longest name <see cref="Quote"/> shows in full; longer names are shortened.</summary>
    public const int MaxQuotedLength = 256;

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
