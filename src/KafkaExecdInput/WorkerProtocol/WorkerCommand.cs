namespace KafkaExecdInput.WorkerProtocol;

/// <summary>How the parent starts a worker: its own executable with this flag (Collection/WorkerLaunch.cs).</summary>
internal static class WorkerCommand
{
    public const string Flag = "--worker";
}
