using KafkaTestCluster.Network;
using KafkaTestCluster.State;

namespace KafkaTestCluster;

/// <summary>
/// Fault injection per broker and per API. Rules apply to requests that arrive after they are set;
/// a rule with a null broker applies to every broker, a null API to every API.
/// </summary>
public sealed class ClusterFaults
{
    private readonly Lock _sync = new();
    private readonly List<LatencyRule> _latency = [];
    private readonly List<FailureRule> _failures = [];
    private readonly List<NeverAnswerRule> _neverAnswer = [];
    private readonly Dictionary<(int BrokerId, ApiKey Api), long> _failuresAnswered = [];
    private readonly ClusterState _state;
    private readonly IReadOnlyDictionary<int, BrokerListener> _listeners;

    private sealed record LatencyRule(TimeSpan Delay, int? BrokerId, ApiKey? Api);

    private sealed class FailureRule(ApiKey api, short errorCode, int remaining, int? brokerId)
    {
        public ApiKey Api { get; } = api;

        public short ErrorCode { get; } = errorCode;

        public int Remaining { get; set; } = remaining;

        public int? BrokerId { get; } = brokerId;
    }

    private sealed record NeverAnswerRule(ApiKey Api, int? BrokerId);

    internal ClusterFaults(ClusterState state, IReadOnlyDictionary<int, BrokerListener> listeners)
    {
        _state = state;
        _listeners = listeners;
    }

    /// <summary>The broker stops listening (new connections are refused), drops open connections and leaves the broker lists.</summary>
    public void BrokerDown(int brokerId) => Listener(brokerId).Down();

    /// <summary>The broker listens again on the same port.</summary>
    public void BrokerUp(int brokerId) => Listener(brokerId).Up();

    /// <summary>Delays matching responses; delays of several matching rules add up.</summary>
    public void AddLatency(TimeSpan delay, int? brokerId = null, ApiKey? api = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ValidateBroker(brokerId);
        lock (_sync)
        {
            _latency.Add(new LatencyRule(delay, brokerId, api));
        }
    }

    /// <summary>Answers the next <paramref name="count"/> matching requests with <paramref name="errorCode"/>, placed where that API reports it.</summary>
    public void FailNext(ApiKey api, short errorCode, int count = 1, int? brokerId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ValidateBroker(brokerId);
        lock (_sync)
        {
            _failures.Add(new FailureRule(api, errorCode, count, brokerId));
        }
    }

    /// <summary>
    /// Matching requests are never answered and the connection stays open. As on a real broker, whose
    /// connection is muted while a request is in flight, nothing after it on that connection is answered either.
    /// </summary>
    public void NeverAnswer(ApiKey api, int? brokerId = null)
    {
        ValidateBroker(brokerId);
        lock (_sync)
        {
            _neverAnswer.Add(new NeverAnswerRule(api, brokerId));
        }
    }

    /// <summary>Makes <paramref name="brokerId"/> the group's coordinator; the previous one answers NOT_COORDINATOR.</summary>
    public void MoveCoordinator(string groupId, int brokerId) => _state.MoveCoordinator(groupId, brokerId);

    /// <summary>
    /// Requests of <paramref name="api"/> answered with a <see cref="FailNext"/> error by one broker, or by all
    /// when null: lets a test prove its injected failure was met, not merely set. Kept across <see cref="Clear"/>.
    /// </summary>
    public long FailuresAnswered(ApiKey api, int? brokerId = null)
    {
        lock (_sync)
        {
            return _failuresAnswered.Where(e => e.Key.Api == api && (brokerId is null || e.Key.BrokerId == brokerId)).Sum(e => e.Value);
        }
    }

    /// <summary>Removes latency, pending failures and never-answer rules. Broker-down and coordinator moves stay.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            _latency.Clear();
            _failures.Clear();
            _neverAnswer.Clear();
        }
    }

    internal TimeSpan LatencyFor(int brokerId, ApiKey api)
    {
        lock (_sync)
        {
            var total = TimeSpan.Zero;
            foreach (var rule in _latency)
            {
                if ((rule.BrokerId is null || rule.BrokerId == brokerId) && (rule.Api is null || rule.Api == api))
                {
                    total += rule.Delay;
                }
            }

            return total;
        }
    }

    internal bool ShouldNeverAnswer(int brokerId, ApiKey api)
    {
        lock (_sync)
        {
            return _neverAnswer.Exists(r => r.Api == api && (r.BrokerId is null || r.BrokerId == brokerId));
        }
    }

    /// <summary>Consumes one pending failure for this request, if any; 0 = none.</summary>
    internal short TakeFailure(int brokerId, ApiKey api)
    {
        lock (_sync)
        {
            for (var i = 0; i < _failures.Count; i++)
            {
                var rule = _failures[i];
                if (rule.Api == api && (rule.BrokerId is null || rule.BrokerId == brokerId))
                {
                    if (--rule.Remaining == 0)
                    {
                        _failures.RemoveAt(i);
                    }

                    _failuresAnswered[(brokerId, api)] = _failuresAnswered.GetValueOrDefault((brokerId, api)) + 1;

                    return rule.ErrorCode;
                }
            }

            return ErrorCodes.None;
        }
    }

    private BrokerListener Listener(int brokerId) =>
        _listeners.TryGetValue(brokerId, out var listener) ? listener : throw new ArgumentException($"No broker with id {brokerId}.", nameof(brokerId));

    private void ValidateBroker(int? brokerId)
    {
        if (brokerId is { } id)
        {
            _ = Listener(id);
        }
    }
}
