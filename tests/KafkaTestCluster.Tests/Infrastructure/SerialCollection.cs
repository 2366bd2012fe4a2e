namespace KafkaTestCluster.Tests.Infrastructure;

/// <summary>Tests that measure time or process-wide resources run in this collection, never beside others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
