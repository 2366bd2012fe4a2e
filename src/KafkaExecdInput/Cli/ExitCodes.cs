namespace KafkaExecdInput.Cli;

/// <summary>Process exit codes; README's Troubleshooting section lists them for users.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A --once gather was incomplete; whatever was read has still been written.</summary>
    public const int GatherIncomplete = 1;

    /// <summary>Bad command line or configuration, including settings the Kafka client rejects.</summary>
    public const int ConfigurationError = 2;

    /// <summary>The plugin itself could not run (the worker process could not be started).</summary>
    public const int InternalError = 3;

    /// <summary>stdout was closed by its reader (EPIPE): nobody is listening any more.</summary>
    public const int OutputClosed = 4;
}
