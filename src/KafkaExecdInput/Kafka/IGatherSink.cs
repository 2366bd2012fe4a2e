using KafkaExecdInput.Snapshot;

namespace KafkaExecdInput.Kafka;

/// <summary>Where the reader sends each part of a gather as soon as it has it.</summary>
internal interface IGatherSink
{
    Task SendAsync(GatherPart part);
}
