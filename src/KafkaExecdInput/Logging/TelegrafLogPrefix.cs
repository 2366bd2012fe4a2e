using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Logging;

/// <summary>A stderr line taken apart: the level its prefix stands for and the text after it.</summary>
internal readonly record struct PrefixedLogLine(LogLevel Level, string Message);

/// <summary>
/// Telegraf's level prefixes. Since Telegraf 1.32 an execd plugin's stderr line that starts with
/// one of them (case-sensitive, with the space) is logged at that level; any other line is logged
/// as an error.
/// </summary>
internal static class TelegrafLogPrefix
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
}
