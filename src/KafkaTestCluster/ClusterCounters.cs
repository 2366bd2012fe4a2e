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
    private readonly long[] _inFlight; // [brokerIndex], now
    private readonly long[] _peakInFlight; // [brokerIndex], since the last reset
    private readonly long[] _peakInFlightOnConnection; // [brokerIndex], since the last reset
    private long _inFlightTotal;
    private long _peakInFlightTotal;
    private long _bytesIn;
    private long _bytesOut;

    internal ClusterCounters(int firstBrokerId, int brokerCount)
    {
        _firstBrokerId = firstBrokerId;
        _brokerCount = brokerCount;
        _requests = new long[brokerCount * ApiSlots];
        _connections = new long[brokerCount];
        _inFlight = new long[brokerCount];
        _peakInFlight = new long[brokerCount];
        _peakInFlightOnConnection = new long[brokerCount];
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

    /// <summary>
    /// The most requests one broker (or, when null, the whole cluster) held at once since the last reset: read
    /// and not yet answered, over all its connections. The concurrency a client reached. Without network
    /// latency a connection is served one request at a time, so this is at most the open connections; with a
    /// round trip (<see cref="ClusterNetwork"/>) requests the client pipelined are in flight together.
    /// </summary>
    public long PeakInFlight(int? brokerId = null) => brokerId is { } id
        ? ReadBroker(_peakInFlight, id)
        : Interlocked.Read(ref _peakInFlightTotal);

    /// <summary>The most requests in flight at once on any one connection of the broker since the last reset: the client's pipelining depth.</summary>
    public long PeakInFlightOnConnection(int brokerId) => ReadBroker(_peakInFlightOnConnection, brokerId);

    private long ReadBroker(long[] values, int brokerId)
    {
        var index = brokerId - _firstBrokerId;
        return index >= 0 && index < _brokerCount ? Interlocked.Read(ref values[index]) : 0;
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

        // Peaks restart from what is in flight now, not from zero: those requests are still held.
        for (var i = 0; i < _brokerCount; i++)
        {
            Interlocked.Exchange(ref _peakInFlight[i], Interlocked.Read(ref _inFlight[i]));
            Interlocked.Exchange(ref _peakInFlightOnConnection[i], 0);
        }

        Interlocked.Exchange(ref _peakInFlightTotal, Interlocked.Read(ref _inFlightTotal));
    }

    /// <param name="onConnection">Requests in flight on the request's connection, this one included.</param>
    internal void RequestStarted(int brokerId, int onConnection)
    {
        var index = brokerId - _firstBrokerId;
        if (index < 0 || index >= _brokerCount)
        {
            return;
        }

        RaisePeak(ref _peakInFlight[index], Interlocked.Increment(ref _inFlight[index]));
        RaisePeak(ref _peakInFlightOnConnection[index], onConnection);
        RaisePeak(ref _peakInFlightTotal, Interlocked.Increment(ref _inFlightTotal));
    }

    internal void RequestEnded(int brokerId, int count)
    {
        var index = brokerId - _firstBrokerId;
        if (index >= 0 && index < _brokerCount)
        {
            Interlocked.Add(ref _inFlight[index], -count);
            Interlocked.Add(ref _inFlightTotal, -count);
        }
    }

    private static void RaisePeak(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
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
