using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Everything the worker needs to read Kafka, sent once over its stdin pipe right after it starts.
/// It carries secrets (passwords, tokens): that is why it travels over a pipe and never on the
/// command line, where any user could read it with ps.
/// </summary>
internal sealed record ReaderSettings(
    IReadOnlyDictionary<string, string> ClientProperties,
    FilterPatterns Topics,
    FilterPatterns Groups,
    TimeSpan RequestTimeout,
    int MaxConcurrentRequests,
    string? StaticOAuthToken,
    LogLevel LogLevel);

/// <summary>Regular expressions as the user wrote them; each process compiles its own.</summary>
internal sealed record FilterPatterns(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude)
{
    public static readonly FilterPatterns All = new([], []);
}
