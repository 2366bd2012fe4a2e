using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

public sealed class CounterTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Start();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public void CountsRequestsPerApiAndBrokerAndBytesBothWays()
    {
        _cluster.Counters.Reset();
        using (var one = RawKafkaClient.Connect(_cluster.BrokerAddress(1)))
        using (var two = RawKafkaClient.Connect(_cluster.BrokerAddress(2)))
        {
            for (var i = 0; i < 3; i++)
            {
                RawRequests.ApiVersionsV0(one);
            }

            RawRequests.MetadataBrokersV1(two);
        }

        Assert.Equal(3, _cluster.Counters.Requests(ApiKey.ApiVersions, 1));
        Assert.Equal(0, _cluster.Counters.Requests(ApiKey.ApiVersions, 2));
        Assert.Equal(3, _cluster.Counters.Requests(ApiKey.ApiVersions));
        Assert.Equal(1, _cluster.Counters.Requests(ApiKey.Metadata, 2));
        Assert.Equal(new Dictionary<ApiKey, long> { [ApiKey.ApiVersions] = 3, [ApiKey.Metadata] = 1 }, _cluster.Counters.RequestsByApi());

        // Request frames: size(4) + key(2) + version(2) + correlation(4) + client id "test"(2+4) [+ body].
        const long apiVersionsRequest = 18;
        const long metadataRequest = 18 + 4;
        Assert.Equal((3 * apiVersionsRequest) + metadataRequest, _cluster.Counters.BytesIn);
        Assert.True(_cluster.Counters.BytesOut > _cluster.Counters.BytesIn);

        _cluster.Counters.Reset();
        Assert.Empty(_cluster.Counters.RequestsByApi());
        Assert.Equal(0, _cluster.Counters.BytesIn);
        Assert.Equal(0, _cluster.Counters.BytesOut);
    }

    [Fact]
    public void CountsAcceptedConnectionsPerBrokerWhetherOrNotTheyAreUsed()
    {
        _cluster.Counters.Reset();
        using (RawKafkaClient.Connect(_cluster.BrokerAddress(1)))
        using (var used = RawKafkaClient.Connect(_cluster.BrokerAddress(1)))
        using (RawKafkaClient.Connect(_cluster.BrokerAddress(3)))
        {
            RawRequests.ApiVersionsV0(used);
        }

        // Accepting is asynchronous; the used connection has certainly been accepted.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_cluster.Counters.Connections() < 3 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(2, _cluster.Counters.Connections(1));
        Assert.Equal(0, _cluster.Counters.Connections(2));
        Assert.Equal(1, _cluster.Counters.Connections(3));
        Assert.Equal(3, _cluster.Counters.Connections());
        _cluster.Counters.Reset();
        Assert.Equal(0, _cluster.Counters.Connections());
    }
}
