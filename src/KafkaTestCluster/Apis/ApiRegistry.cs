namespace KafkaTestCluster.Apis;

/// <summary>The APIs this cluster serves, indexed by key. Only these are advertised by ApiVersions.</summary>
internal sealed class ApiRegistry
{
    private readonly ApiHandler?[] _byKey = new ApiHandler?[128];

    public ApiRegistry(IEnumerable<ApiHandler> handlers)
    {
        var list = new List<ApiHandler>();
        foreach (var handler in handlers)
        {
            _byKey[(int)handler.Key] = handler;
            list.Add(handler);
        }

        list.Sort((a, b) => a.Key.CompareTo(b.Key));
        All = list;
    }

    public static ApiRegistry Default { get; } = new(
    [
        new ProduceApi(),
        new FetchApi(),
        new ListOffsetsApi(),
        new MetadataApi(),
        new OffsetCommitApi(),
        new OffsetFetchApi(),
        new FindCoordinatorApi(),
        new DescribeGroupsApi(),
        new ListGroupsApi(),
        new SaslHandshakeApi(),
        new ApiVersionsApi(),
        new CreateTopicsApi(),
        new DeleteRecordsApi(),
        new InitProducerIdApi(),
        new DescribeConfigsApi(),
        new SaslAuthenticateApi(),
        new DescribeClusterApi(),
        new ConsumerGroupDescribeApi(),
    ]);

    /// <summary>This registry less one API: it is then neither advertised nor served (the connection closes).</summary>
    public ApiRegistry Without(ApiKey key) => new(All.Where(h => h.Key != key));

    public IReadOnlyList<ApiHandler> All { get; }

    public ApiHandler? Find(short apiKey) => apiKey >= 0 && apiKey < _byKey.Length ? _byKey[apiKey] : null;
}
