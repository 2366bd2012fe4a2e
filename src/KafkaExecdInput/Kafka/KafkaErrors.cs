using Confluent.Kafka;

namespace KafkaExecdInput.Kafka;

/// <summary>Turns client errors into short single-line texts for GatherErrors.</summary>
internal static class KafkaErrors
{
    public static string Describe(Error error)
    {
        var reason = string.IsNullOrWhiteSpace(error.Reason) ? error.Code.ToString() : error.Reason;
        return reason.Contains(error.Code.ToString(), StringComparison.Ordinal)
            ? Flatten(reason)
            : $"{error.Code}: {Flatten(reason)}";
    }

    public static string Describe(Exception exception) => exception switch
    {
        KafkaException kafka => Describe(kafka.Error),
        OperationCanceledException => "cancelled",
        _ => $"{exception.GetType().Name}: {Flatten(exception.Message)}",
    };

    /// <summary>The broker's and librdkafka's ways of saying a topic or partition does not exist (any more).</summary>
    public static bool IsUnknownTopic(ErrorCode code) =>
        code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition;

    private static string Flatten(string text) => text.ReplaceLineEndings(" ").Trim();
}
