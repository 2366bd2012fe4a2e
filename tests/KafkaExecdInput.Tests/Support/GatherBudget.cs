using KafkaExecdInput.Configuration;
using KafkaExecdInput.Collection;

namespace KafkaExecdInput.Tests.Support;

/// <summary>
/// How long a gather may take under a test's configuration file, computed by the plugin's own code
/// from that file, so a bound moves with the production rule it checks instead of restating it.
/// </summary>
internal static class GatherBudget
{
    /// <summary>
    /// Beyond the plugin's own rule: two process pipes and the test's polling, on 2 cores shared with
    /// other test classes. Observed: blocks 0.03–0.05 s after the timeout.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The latest a gather ends when it keeps its deadline: the configured <c>timeout</c> plus the
    /// plugin's promise past it (Collector.BlockDeadlineSlack, whatever the Kafka client does), plus
    /// <see cref="Slack"/>.
    /// </summary>
    public static TimeSpan EndByDeadline(PluginConfigFile file)
    {
        var config = ConfigLoader.Load(file.Path, Environment.GetEnvironmentVariable);
        return config.Timeout + Collector.BlockDeadlineSlack + Slack;
    }
}
