namespace KafkaTestCluster;

/// <summary>
/// Requests received per API key and per broker, connections accepted per broker, and bytes in and out
/// (Kafka frames including their size prefix; TLS overhead excluded). Lock-free: brokers increment with
/// interlocked adds while tests read.
/// </summary>
public sealed class ClusterCounters
{
    private const int ApiSlots = 128;
    private readonly long[] _requests; // [brokerIndex * ApiSlots + apiKey]
    private readonly long[] _connections; // [brokerIndex]
    private readonly int _firstBrokerId;
    private readonly int _brokerCount;
    private long _bytesIn;
    private long _bytesOut;

    internal ClusterCounters(int firstBrokerId, int brokerCount)
    {
        _firstBrokerId = firstBrokerId;
        _brokerCount = brokerCount;
        _requests = new long[brokerCount * ApiSlots];
        _connections = new long[brokerCount];
    }

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Requests of <paramref name="api"/> received by one broker, or by all when null.</summary>
    public long Requests(ApiKey api, int? brokerId = null)
    {
        var key = (int)api;
        if (key is < 0 or >= ApiSlots)
        {
            return 0;
        }

        if (brokerId is { } id)
        {
            var index = id - _firstBrokerId;
            return index >= 0 && index < _brokerCount ? Interlocked.Read(ref _requests[(index * ApiSlots) + key]) : 0;
        }

        long total = 0;
        for (var b = 0; b < _brokerCount; b++)
        {
            total += Interlocked.Read(ref _requests[(b * ApiSlots) + key]);
        }

        return total;
    }

    /// <summary>
    /// TCP connections accepted by one broker, or by all when null, whatever became of them (refused TLS
    /// handshakes and failed authentications included): how hard a client is trying to connect.
    /// </summary>
    public long Connections(int? brokerId = null)
    {
        if (brokerId is { } id)
        {
            var index = id - _firstBrokerId;
            return index >= 0 && index < _brokerCount ? Interlocked.Read(ref _connections[index]) : 0;
        }

        long total = 0;
        for (var b = 0; b < _brokerCount; b++)
        {
            total += Interlocked.Read(ref _connections[b]);
        }

        return total;
    }

    /// <summary>Requests per API over all brokers; APIs never called are left out.</summary>
    public IReadOnlyDictionary<ApiKey, long> RequestsByApi()
    {
        var result = new Dictionary<ApiKey, long>();
        for (var key = 0; key < ApiSlots; key++)
        {
            var total = Requests((ApiKey)key);
            if (total > 0)
            {
                result[(ApiKey)key] = total;
            }
        }

        return result;
    }

    public void Reset()
    {
        for (var i = 0; i < _requests.Length; i++)
        {
            Interlocked.Exchange(ref _requests[i], 0);
        }

        for (var i = 0; i < _connections.Length; i++)
        {
            Interlocked.Exchange(ref _connections[i], 0);
        }

        Interlocked.Exchange(ref _bytesIn, 0);
        Interlocked.Exchange(ref _bytesOut, 0);
    }

    internal void CountRequest(int brokerId, short apiKey)
    {
        var index = brokerId - _firstBrokerId;
        if (apiKey is >= 0 and < ApiSlots && index >= 0 && index < _brokerCount)
        {
            Interlocked.Increment(ref _requests[(index * ApiSlots) + apiKey]);
        }
    }

    internal void CountConnection(int brokerId)
    {
        var index = brokerId - _firstBrokerId;
        if (index >= 0 && index < _brokerCount)
        {
            Interlocked.Increment(ref _connections[index]);
        }
    }

    internal void AddBytesIn(long bytes) => Interlocked.Add(ref _bytesIn, bytes);

    internal void AddBytesOut(long bytes) => Interlocked.Add(ref _bytesOut, bytes);
}
