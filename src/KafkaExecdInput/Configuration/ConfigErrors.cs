namespace KafkaExecdInput.Configuration;

/// <summary>Collects configuration problems as self-contained one-line messages, in file order.</summary>
internal sealed class ConfigErrors(string source)
{
    private readonly List<(int Line, string Message)> _messages = [];

    public bool Any => _messages.Count > 0;

    /// <summary>The messages ordered by line (problems without a line first), each reported once.</summary>
    public IReadOnlyList<string> Messages => [.. _messages.OrderBy(m => m.Line).Select(m => m.Message)];

    /// <summary>Adds "source:line: key: problem" (parts left out when unknown).</summary>
    public void Add(int? line, string? qualifiedKey, string problem)
    {
        string where = line is { } number ? $"{source}:{number}" : source;
        string message = qualifiedKey is null ? $"{where}: {problem}" : $"{where}: {qualifiedKey}: {problem}";
        if (!_messages.Exists(m => m.Message == message))
        {
            _messages.Add((line ?? 0, message));
        }
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new ConfigException(Messages);
        }
    }
}

/// <summary>
/// The configuration could not be used. <see cref="Errors"/> holds one self-contained message per
/// problem ("/etc/kafka.conf:12: inputs.kafka.timeout: …"), meant to be printed one per line as
/// <c>E! </c> records before exiting with code 2. No message contains a secret's value.
/// </summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<string> errors)
        : base(Summarize(errors))
    {
        Errors = errors;
    }

    public ConfigException()
        : this(["invalid configuration"])
    {
    }

    public ConfigException(string message)
        : this([message])
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; }

    private static string Summarize(IReadOnlyList<string> errors) =>
        errors.Count == 1 ? errors[0] : $"{errors.Count} configuration errors: {string.Join("; ", errors)}";
}
