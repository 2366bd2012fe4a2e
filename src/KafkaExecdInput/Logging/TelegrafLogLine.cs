using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Logging;

/// <summary>A stderr line taken apart: the level its prefix stands for and the text after it.</summary>
internal readonly record struct PrefixedLogLine(LogLevel Level, string Message);

/// <summary>
/// The shape of a log line Telegraf reads from an execd plugin's stderr. Since Telegraf 1.32 a
/// line that starts with one of the level prefixes (case-sensitive, with the space) is logged at
/// that level; any other line is logged as an error. Telegraf reads stderr line by line, so a
/// record must never contain a line break.
/// </summary>
internal static class TelegrafLogLine
{
    public const string Error = "E! ";
    public const string Warning = "W! ";
    public const string Information = "I! ";
    public const string Debug = "D! ";
    public const string Trace = "T! ";

    /// <summary>The prefix for a level; Telegraf has no "critical", so it is written as an error.</summary>
    public static string For(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => Error,
        LogLevel.Warning => Warning,
        LogLevel.Information => Information,
        LogLevel.Debug => Debug,
        LogLevel.Trace => Trace,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "LogLevel.None has no prefix."),
    };

    /// <summary>
    /// Reads a line another process wrote to stderr (the worker's), the way Telegraf would: a known
    /// prefix gives the level, a line without one is an error and is kept whole.
    /// </summary>
    public static PrefixedLogLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        LogLevel? level = line.Length < 3 ? null : line.AsSpan(0, 3) switch
        {
            Error => LogLevel.Error,
            Warning => LogLevel.Warning,
            Information => LogLevel.Information,
            Debug => LogLevel.Debug,
            Trace => LogLevel.Trace,
            _ => null,
        };

        return level is { } known ? new(known, line[3..]) : new(LogLevel.Error, line);
    }

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
}
