using KafkaExecdInput.Configuration;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.Sharding;
using KafkaExecdInput.WorkerProtocol;
using KafkaExecdInput.UnitTests.Support;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>A <see cref="GatherReader"/> over a fake admin, a fake clock and a recording sink.</summary>
internal sealed class ReaderHarness
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The timer each running fan-out creates when it starts, to stop waiting at the deadline
    /// (Kafka/BoundedFanOut.cs): a test waiting for a reader's own timer counts it too.
    /// </summary>
    public const int FanOutDeadlineTimer = 1;

    public ReaderHarness(int maxConcurrentRequests = 4, Shard? shard = null)
    {
        Admin = new FakeKafkaAdmin(Time);
        Settings = new ReaderSettings(
            new Dictionary<string, string>(), NameFilter.IncludeAll, NameFilter.IncludeAll,
            RequestTimeout, maxConcurrentRequests, StaticOAuthToken: null, LogLevel.Debug, Shard: shard);
        Reader = new GatherReader(Admin, Health, Settings, new RecordingLogger(), Time);
    }

    public TimerWatchingTimeProvider Time { get; } = new();

    public FakeKafkaAdmin Admin { get; }

    public ClientHealth Health { get; } = new();

    public ReaderSettings Settings { get; }

    public GatherReader Reader { get; }

    public RecordingSink Sink { get; } = new();

    /// <summary>Runs one gather off the test's thread; the task ends when the reader has sent its last part.</summary>
    public Task GatherAsync(GatherRequest request) => Task.Run(() => Reader.GatherAsync(request, Sink)).WaitAsync(TestWait.Limit);

    public static GatherRequest Everything(TimeSpan budget, params string[] knownGroups) =>
        new(1, budget, WantMetadata: true, WantGroups: true, OffsetGroupSelection.All, WantWatermarks: true, knownGroups);

    /// <summary>Only the groups and their offsets, as a gather whose metadata and watermarks are already in.</summary>
    public static GatherRequest GroupsOnly(TimeSpan budget, params string[] knownGroups) =>
        new(1, budget, WantMetadata: false, WantGroups: true, OffsetGroupSelection.All, WantWatermarks: false, knownGroups);

    /// <summary>Only the committed offsets of <paramref name="groups"/>, as a resumed gather asks for them.</summary>
    public static GatherRequest OffsetsOnly(TimeSpan budget, params string[] groups) =>
        new(1, budget, WantMetadata: false, WantGroups: false, new OffsetGroupSelection.These(groups), WantWatermarks: false, []);
}
