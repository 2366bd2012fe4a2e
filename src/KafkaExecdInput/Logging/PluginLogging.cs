using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace KafkaExecdInput.Logging;

/// <summary>Builds the plugin's logger factory: one Telegraf-prefixed line per record, all on stderr.</summary>
internal static class PluginLogging
{
    /// <summary>
    /// A factory whose loggers write records at <paramref name="minimumLevel"/> and above to stderr
    /// (stdout carries only metrics). Stack traces appear only at <see cref="LogLevel.Trace"/>.
    /// Dispose it before exiting: the console logger writes on a background thread and flushes
    /// its queue on dispose.
    /// </summary>
    public static ILoggerFactory Create(LogLevel minimumLevel) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(minimumLevel);
        builder.AddConsole(options =>
        {
            options.FormatterName = TelegrafConsoleFormatter.FormatterName;
            options.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        // Registered as an instance: AddConsoleFormatter<,> binds its options from configuration by
        // reflection, which the native (AOT) publish cannot keep, and these options never change.
        builder.Services.AddSingleton<ConsoleFormatter>(new TelegrafConsoleFormatter(includeStackTraces: minimumLevel == LogLevel.Trace));
    });
}
