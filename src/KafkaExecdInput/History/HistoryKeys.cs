namespace KafkaExecdInput.History;

/// <summary>A partition of a topic.</summary>
internal readonly record struct TopicPartitionKey(string Topic, int Partition);

/// <summary>A consumer group's view of one partition (its committed offset there).</summary>
internal readonly record struct GroupPartitionKey(string GroupId, string Topic, int Partition);
