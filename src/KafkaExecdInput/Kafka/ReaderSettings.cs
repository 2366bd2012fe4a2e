using KafkaExecdInput.Configuration;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Everything the worker needs to read Kafka, sent once over its stdin pipe right after it starts.
/// It carries secrets (passwords, tokens): that is why it travels over a pipe and never on the
/// command line, where any user could read it with ps.
/// </summary>
internal sealed record ReaderSettings(
    IReadOnlyDictionary<string, string> ClientProperties,
    NameFilter Topics,
    NameFilter Groups,
    TimeSpan RequestTimeout,
    int MaxConcurrentRequests,
    string? StaticOAuthToken,
    LogLevel LogLevel);
