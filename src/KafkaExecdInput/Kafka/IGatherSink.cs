using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Kafka;

/// <summary>Where the reader sends each part of a gather as soon as it has it, and what it could not read.</summary>
internal interface IGatherSink
{
    Task SendAsync(GatherPart part);

    Task ReportAsync(GatherError error);
}
