using System.Diagnostics;
using System.Net;
using KafkaTestCluster.Apis;
using KafkaTestCluster.Network;
using KafkaTestCluster.Security;
using KafkaTestCluster.State;

namespace KafkaTestCluster;

/// <summary>
/// An in-process Kafka cluster that speaks the wire protocol: N brokers on loopback TCP listeners with
/// state set directly by tests (topics, watermarks, groups, commits) or through Kafka's own APIs, plus
/// fault injection and request counters. Start is synchronous and fast; dispose releases every port,
/// socket and task.
/// </summary>
public sealed class TestCluster : IDisposable, IAsyncDisposable
{
    private readonly ClusterState _state;
    private readonly Dictionary<int, BrokerListener> _listeners;
    private readonly ClusterRuntime _runtime;
    private readonly TlsMaterial? _tlsMaterial;
    private int _disposed;

    private TestCluster(ClusterState state, Dictionary<int, BrokerListener> listeners, ClusterRuntime runtime, TlsMaterial? tls, string securityProtocol)
    {
        _state = state;
        _listeners = listeners;
        _runtime = runtime;
        _tlsMaterial = tls;
        SecurityProtocol = securityProtocol;
        Counters = runtime.Counters;
        Faults = runtime.Faults;
        Network = new ClusterNetwork(runtime.Latency);
        Tls = tls is null ? null : new ClusterTls(tls.Directory, tls.CaPemPath, tls.ClientCertPemPath, tls.ClientKeyPemPath);
        BrokerIds = [.. state.Brokers.Select(b => b.Id)];
        BootstrapServers = string.Join(',', state.Brokers.Select(b => b.Address));
    }

    public static TestCluster Start(ClusterOptions? options = null)
    {
        options ??= new ClusterOptions();
        Validate(options);
        var security = options.Security;
        var address = IPAddress.Parse(options.Host);
        TlsMaterial? tls = null;
        var listeners = new Dictionary<int, BrokerListener>();
        try
        {
            tls = security is { Tls: true } ? TlsMaterial.Create(options.Host, security.RequireClientCertificate) : null;
            var sasl = security is { SaslMechanisms.Count: > 0 } ? new SaslServer(security.SaslMechanisms, security.Users) : null;
            var counters = new ClusterCounters(options.FirstBrokerId, options.Brokers);

            // The state needs the ports and the listeners need the state: bind first, start accepting last.
            var bound = new BrokerListener[options.Brokers];
            for (var i = 0; i < options.Brokers; i++)
            {
                bound[i] = BrokerListener.Bind(address, options.FixedPorts?[i] ?? 0);
                listeners[options.FirstBrokerId + i] = bound[i];
            }

            var nodes = new BrokerNode[options.Brokers];
            for (var i = 0; i < options.Brokers; i++)
            {
                nodes[i] = new BrokerNode(options.FirstBrokerId + i, options.Host, bound[i].Port, options.Racks?[i]);
            }

            var protocol = security?.SecurityProtocol ?? "PLAINTEXT";
            var apis = options.ConsumerGroupDescribe ? ApiRegistry.Default : ApiRegistry.Default.Without(ApiKey.ConsumerGroupDescribe);
            var state = new ClusterState(options, nodes, protocol, apis);
            var latency = new NetworkLatency(options.FirstBrokerId, options.Brokers, options.NetworkRoundTrip, options.NetworkJitter);
            var runtime = new ClusterRuntime(state, apis, counters, latency, tls, sasl, options.Log);
            runtime.Faults = new ClusterFaults(state, listeners);
            for (var i = 0; i < options.Brokers; i++)
            {
                bound[i].Start(nodes[i], runtime);
            }

            return new TestCluster(state, listeners, runtime, tls, protocol);
        }
        catch
        {
            foreach (var listener in listeners.Values)
            {
                listener.Stop();
            }

            tls?.Dispose();
            throw;
        }
    }

    private static void Validate(ClusterOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Brokers, 1, nameof(options.Brokers));
        ArgumentOutOfRangeException.ThrowIfNegative(options.FirstBrokerId, nameof(options.FirstBrokerId));
        if (options.Racks is { } racks && racks.Count != options.Brokers)
        {
            throw new ArgumentException("Racks must have one entry per broker.", nameof(options));
        }

        if (options.FixedPorts is { } ports && ports.Count != options.Brokers)
        {
            throw new ArgumentException("FixedPorts must have one entry per broker.", nameof(options));
        }

        if (options.ControllerId is { } controller &&
            (controller < options.FirstBrokerId || controller >= options.FirstBrokerId + options.Brokers))
        {
            throw new ArgumentException($"Controller {controller} is not one of the brokers.", nameof(options));
        }

        if (options.ClusterId.Length == 0)
        {
            throw new ArgumentException("ClusterId must not be empty.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultPartitions, 1, nameof(options.DefaultPartitions));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RecordTimestampStep, TimeSpan.Zero, nameof(options.RecordTimestampStep));
    }

    /// <summary>"127.0.0.1:port1,127.0.0.1:port2,..." (bootstrap.servers).</summary>
    public string BootstrapServers { get; }

    public string ClusterId => _state.ClusterId;

    public int ControllerId => _state.ControllerId;

    public IReadOnlyList<int> BrokerIds { get; }

    /// <summary>PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (security.protocol).</summary>
    public string SecurityProtocol { get; }

    public ClusterFaults Faults { get; }

    public ClusterCounters Counters { get; }

    /// <summary>Network round trip per broker, changeable at any time.</summary>
    public ClusterNetwork Network { get; }

    /// <summary>PEM paths for clients; null when TLS is off.</summary>
    public ClusterTls? Tls { get; }

    public string BrokerAddress(int brokerId) => _state.RequireBroker(brokerId).Address;

    // ---------------------------------------------------------------- state API

    /// <summary>
    /// Replicas are assigned round-robin over the brokers, each topic starting one broker further on; leader =
    /// first replica; ISR = replicas. The replication factor is capped at the broker count.
    /// </summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 3,
        IReadOnlyDictionary<string, string>? configs = null, bool isInternal = false) =>
        _state.CreateTopic(name, partitions, replicationFactor, configs, isInternal);

    public void DeleteTopic(string name) => _state.DeleteTopic(name);

    /// <summary>Sets (or, with null, removes) a topic config override, as an AlterConfigs would; DescribeConfigs reports it.</summary>
    public void SetTopicConfig(string topic, string key, string? value) => _state.SetTopicConfig(topic, key, value);

    /// <summary>Sets a partition's placement; leader -1 = offline. A leader change bumps the leader epoch.</summary>
    public void SetPartition(string topic, int partition, IReadOnlyList<int> replicas, int leader,
        IReadOnlyList<int> isr, IReadOnlyList<int>? offlineReplicas = null) =>
        _state.SetPartition(topic, partition, replicas, leader, isr, offlineReplicas);

    public void SetWatermarks(string topic, int partition, long low, long high) => _state.SetWatermarks(topic, partition, low, high);

    public void AdvanceHighWatermark(string topic, int partition, long by) => _state.AdvanceHighWatermark(topic, partition, by);

    public (long Low, long High) GetWatermarks(string topic, int partition) => _state.GetWatermarks(topic, partition);

    /// <summary>
    /// Timestamps of the partition's records that were not produced: record i has timestamp base + i * step
    /// (ListOffsets by timestamp and max-timestamp search them). Defaults come from <see cref="ClusterOptions"/>.
    /// </summary>
    public void SetRecordTimestamps(string topic, int partition, DateTimeOffset timestampOfOffsetZero, TimeSpan step) =>
        _state.SetRecordTimestamps(topic, partition, timestampOfOffsetZero.ToUnixTimeMilliseconds(), (long)step.TotalMilliseconds);

    /// <summary>Creates or replaces a group's state and membership; its committed offsets are kept.</summary>
    public void SetGroup(GroupSpec group) => _state.SetGroup(group);

    /// <summary>
    /// Creates or replaces a KIP-848 consumer group (type "consumer"): ListGroups v5 lists it with that type,
    /// ConsumerGroupDescribe describes it and classic DescribeGroups answers GROUP_ID_NOT_FOUND, as Kafka 4
    /// does. Its committed offsets are kept.
    /// </summary>
    public void SetConsumerGroup(ConsumerGroupSpec group) => _state.SetConsumerGroup(group);

    public void DeleteGroup(string groupId) => _state.DeleteGroup(groupId);

    /// <summary>Commits an offset without any group checks; an unknown group is created Empty.</summary>
    public void CommitOffset(string groupId, string topic, int partition, long offset, string? metadata = null) =>
        _state.CommitOffset(groupId, topic, partition, offset, metadata);

    /// <summary>The committed offset, or null when the group has none for that partition.</summary>
    public long? GetCommittedOffset(string groupId, string topic, int partition) => _state.GetCommittedOffset(groupId, topic, partition);

    /// <summary>The group's coordinator: a stable hash of the group id over the brokers, unless moved.</summary>
    public int CoordinatorOf(string groupId) => _state.CoordinatorOf(groupId);

    // ---------------------------------------------------------------- lifetime

    /// <summary>Open client connections over all brokers.</summary>
    public int OpenConnections => _listeners.Values.Sum(l => l.OpenConnections);

    /// <summary>Accept loops and connection tasks still running; zero once disposed.</summary>
    public int RunningTasks => _listeners.Values.Sum(l => l.RunningTasks);

    /// <summary>Closes listeners and connections, waits for every task to end and deletes the TLS files.</summary>
    public void Dispose()
    {
        if (Stop() is { } tasks)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                if (!Task.WaitAll(tasks, DisposeTimeout))
                {
                    _runtime.Log($"dispose: {tasks.Count(t => !t.IsCompleted)} task(s) still running after {watch.ElapsedMilliseconds} ms");
                }
            }
            catch (AggregateException ex)
            {
                _runtime.Log($"dispose: {ex.InnerExceptions.Count} task(s) faulted: {ex.InnerException}");
            }

            _tlsMaterial?.Dispose();
        }
    }

    /// <summary>As <see cref="Dispose"/>, but waits without blocking a thread-pool thread (preferred in async tests).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Stop() is { } tasks)
        {
            try
            {
                await Task.WhenAll(tasks).WaitAsync(DisposeTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _runtime.Log($"dispose: {tasks.Count(t => !t.IsCompleted)} task(s) still running after {DisposeTimeout}");
            }

            _tlsMaterial?.Dispose();
        }
    }

    /// <summary>Every task ends promptly once its socket is closed; the timeout only guards against a bug hanging disposal.</summary>
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Closes every socket; returns the tasks to wait for, or null if already disposed.</summary>
    private Task[]? Stop() =>
        Interlocked.Exchange(ref _disposed, 1) != 0 ? null : [.. _listeners.Values.SelectMany(l => l.Stop())];
}
