namespace KafkaExecdInput.Worker;

/// <summary>The first byte of every frame between parent and worker.</summary>
internal enum MessageKind : byte
{
    // parent -> worker
    Start = 1,
    Gather = 2,

    // worker -> parent
    Ready = 10,
    Fatal = 11,
    Metadata = 20,
    Groups = 21,
    GroupOffsets = 22,
    Watermarks = 23,
    Error = 24,
    Done = 25,
}

/// <summary>
/// The worker could not start: the client rejected the configuration (a user's mistake, exit 2)
/// or cannot run on this host at all (an installation problem, exit 3).
/// </summary>
internal sealed record WorkerFatal(string Message, bool IsConfigurationError);
