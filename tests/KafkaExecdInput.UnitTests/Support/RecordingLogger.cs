using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.Support;

/// <summary>Keeps every record logged through it, for asserting on warnings.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message)> _records = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public IEnumerable<string> Warnings => Records.Where(r => r.Level == LogLevel.Warning).Select(r => r.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_records)
        {
            _records.Add((logLevel, formatter(state, exception)));
        }
    }
}
