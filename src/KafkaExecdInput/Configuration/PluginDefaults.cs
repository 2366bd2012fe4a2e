using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Configuration;

/// <summary>Default values of the options; plugin.conf.sample shows the same values (a test keeps them equal).</summary>
internal static class PluginDefaults
{
    public const string ClientId = "kafka-execd-input";

    /// <summary>
    /// How many Kafka requests one gather keeps in flight (offset fetches are one group per request).
    /// Chosen from the benchmark's curve (tests/KafkaExecdInput.Benchmarks, gather; four runs): at
    /// 10,000 and 50,000 partitions gathers get faster up to 16-32 and are flat within noise beyond;
    /// 8 was 10-30% slower at 50,000 partitions, 1 about 1.5-2x. 32 takes that gain while keeping
    /// bursts of offset fetches to the coordinators moderate.
    /// </summary>
    public const int MaxConcurrentRequests = 32;

    /// <summary>Upper bound for max_concurrent_requests: beyond this a typo would open thousands of requests.</summary>
    public const int MaxConcurrentRequestsLimit = 1000;

    public const string GssapiServiceName = "kafka";

    public const LogLevel LogLevel = Microsoft.Extensions.Logging.LogLevel.Information;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Shortest accepted duration: librdkafka counts in milliseconds.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest accepted duration; also keeps milliseconds within librdkafka's 32-bit settings.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);
}
