using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>How the readers send their errors: one <see cref="GatherFailure"/> control message per error.</summary>
internal static class SinkErrors
{
    public static Task SendErrorAsync(this IGatherSink sink, string source, string message) =>
        sink.ReportAsync(new GatherError(source, message));

    public static async Task SendErrorsAsync(this IGatherSink sink, FailureTally tally)
    {
        foreach (var error in tally.ToErrors())
        {
            await sink.ReportAsync(error).ConfigureAwait(false);
        }
    }
}
