namespace KafkaExecdInput.Configuration;

/// <summary>Collects configuration problems as self-contained one-line messages, in file order.</summary>
internal sealed class ConfigErrors(string source)
{
    private readonly List<(int Line, string Message)> _messages = [];

    public string Source => source;

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
