using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace KafkaExecdInput.Logging;

/// <summary>
/// Writes each log record as one stderr line in the form Telegraf understands: a level prefix
/// (<c>E! </c>, <c>W! </c>, <c>I! </c>, <c>D! </c>, <c>T! </c>) and the message. No timestamp and no
/// category: Telegraf adds its own timestamp and the plugin name.
/// </summary>
/// <remarks>
/// Line breaks inside a message or exception are shown as <c>\n</c>, so one record is one line, and
/// a record is cut at <see cref="MaxLineLength"/> characters because Telegraf stops reading stderr
/// after a line over 64 KiB (16 Ki UTF-16 characters are at most 48 KiB of UTF-8).
/// </remarks>
internal sealed class TelegrafConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "telegraf";

    public const int MaxLineLength = 16 * 1024;

    public const string TruncationMarker = "…(truncated)";

    private readonly bool _includeStackTraces;

    /// <param name="includeStackTraces">Show exceptions with their stack traces (only when the plugin runs at trace level).</param>
    public TelegrafConsoleFormatter(bool includeStackTraces)
        : base(FormatterName)
    {
        _includeStackTraces = includeStackTraces;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        if (logEntry.LogLevel == LogLevel.None)
        {
            return;
        }

        string? message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(Render(logEntry.LogLevel, message, logEntry.Exception, _includeStackTraces));
    }

    /// <summary>The complete line, including its '\n', for one record.</summary>
    internal static string Render(LogLevel level, string? message, Exception? exception, bool includeStackTraces)
    {
        var line = new StringBuilder(TelegrafLogLine.Error.Length + (message?.Length ?? 0) + 64);
        line.Append(TelegrafLogLine.For(level));
        TelegrafLogLine.AppendFlattened(line, message);
        if (exception is not null)
        {
            if (!string.IsNullOrEmpty(message))
            {
                line.Append(": ");
            }

            TelegrafLogLine.AppendFlattened(line, includeStackTraces ? exception.ToString() : Summarize(exception));
        }

        if (line.Length > MaxLineLength)
        {
            int keep = MaxLineLength - TruncationMarker.Length;
            if (char.IsHighSurrogate(line[keep - 1]))
            {
                keep--;
            }

            line.Length = keep;
            line.Append(TruncationMarker);
        }

        return line.Append('\n').ToString();
    }

    /// <summary>Type and message of the exception and of each inner one, without stack traces.</summary>
    private static string Summarize(Exception exception)
    {
        var summary = new StringBuilder();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (summary.Length > 0)
            {
                summary.Append(" ---> ");
            }

            summary.Append(current.GetType().Name).Append(": ").Append(current.Message);
        }

        return summary.ToString();
    }
}
