using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Configuration;

/// <summary>Default values of the options; plugin.conf.sample shows the same values (a test keeps them equal).</summary>
internal static class PluginDefaults
{
    public const string ClientId = "kafka-execd-input";

    /// <summary>
    /// How many Kafka requests one gather keeps in flight (offset fetches are one group per request).
    /// Chosen from the benchmark's curve (tests/KafkaExecdInput.Benchmarks, gather): at 10,000 and
    /// 50,000 partitions gathers get faster up to 16-32 and flatten there; 8 was 20-30% slower at
    /// 50,000 partitions, 1 about twice as slow. 32 takes that gain while keeping bursts to brokers modest.
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
