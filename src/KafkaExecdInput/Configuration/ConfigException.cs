namespace KafkaExecdInput.Configuration;

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
