using System.Diagnostics;

namespace KafkaTestCluster.Network;

/// <summary>Round trip and jitter per broker, read by every response and changed at any time by tests.</summary>
internal sealed class NetworkLatency
{
    private readonly int _firstBrokerId;
    private readonly Setting[] _brokers;

    internal sealed record Setting(TimeSpan RoundTrip, TimeSpan Jitter)
    {
        public static readonly Setting None = new(TimeSpan.Zero, TimeSpan.Zero);
    }

    public NetworkLatency(int firstBrokerId, int brokers, TimeSpan roundTrip, TimeSpan jitter)
    {
        Validate(roundTrip, jitter);
        _firstBrokerId = firstBrokerId;
        _brokers = new Setting[brokers];
        Array.Fill(_brokers, roundTrip == TimeSpan.Zero && jitter == TimeSpan.Zero ? Setting.None : new Setting(roundTrip, jitter));
    }

    public void Set(TimeSpan roundTrip, TimeSpan jitter, int? brokerId)
    {
        Validate(roundTrip, jitter);
        var setting = new Setting(roundTrip, jitter);
        if (brokerId is { } id)
        {
            Volatile.Write(ref _brokers[Index(id)], setting);
        }
        else
        {
            for (var i = 0; i < _brokers.Length; i++)
            {
                Volatile.Write(ref _brokers[i], setting);
            }
        }
    }

    public Setting Get(int brokerId) => Volatile.Read(ref _brokers[Index(brokerId)]);

    /// <summary>The Stopwatch timestamp at which a response produced now may reach the client.</summary>
    public long DueTimestamp(int brokerId)
    {
        var now = Stopwatch.GetTimestamp();
        var setting = Get(brokerId);
        if (setting.RoundTrip == TimeSpan.Zero && setting.Jitter == TimeSpan.Zero)
        {
            return now;
        }

        var delay = setting.RoundTrip + (setting.Jitter * Random.Shared.NextDouble());
        return now + (long)(delay.TotalSeconds * Stopwatch.Frequency);
    }

    private int Index(int brokerId)
    {
        var index = brokerId - _firstBrokerId;
        return index >= 0 && index < _brokers.Length ? index : throw new ArgumentException($"No broker with id {brokerId}.", nameof(brokerId));
    }

    private static void Validate(TimeSpan roundTrip, TimeSpan jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrip, TimeSpan.Zero, nameof(roundTrip));
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero, nameof(jitter));
    }
}
