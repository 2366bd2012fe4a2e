using KafkaExecdInput.Snapshot;

namespace KafkaExecdInput.Kafka;

/// <summary>How the readers send their errors: one <see cref="ErrorPart"/> per error.</summary>
internal static class SinkErrors
{
    public static Task SendErrorAsync(this IGatherSink sink, string source, string message) =>
        sink.SendAsync(new ErrorPart(new GatherError(source, message)));

    public static async Task SendErrorsAsync(this IGatherSink sink, FailureTally tally)
    {
        foreach (var error in tally.ToErrors())
        {
            await sink.SendAsync(new ErrorPart(error)).ConfigureAwait(false);
        }
    }
}
