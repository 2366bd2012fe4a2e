using KafkaExecdInput.Configuration;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Tests.Support;

/// <summary>
/// How long a gather may take under a test's configuration file, computed by the plugin's own code
/// from that file, so a bound moves with the production rule it checks instead of restating it.
/// </summary>
internal static class GatherBudget
{
    /// <summary>
    /// Beyond the plugin's own rule: two process pipes and the test's polling, on 2 cores shared with
    /// other test classes. Observed overruns are well under 0.5 s.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The latest a gather ends when it keeps its deadline: the configured <c>timeout</c>, plus one
    /// admin call started just before it and running its own timeout (ReaderSettings.AdminCallTimeout),
    /// plus <see cref="Slack"/>.
    /// </summary>
    public static TimeSpan EndByDeadline(PluginConfigFile file)
    {
        var config = ConfigLoader.Load(file.Path, Environment.GetEnvironmentVariable);
        var client = LibrdkafkaSettings.Build(config);
        var settings = ReaderSettings.For(config, client);
        return config.Timeout + settings.AdminCallTimeout + Slack;
    }
}
