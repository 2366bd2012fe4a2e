using System.Runtime.InteropServices;
using KafkaExecdInput.Collection;
using KafkaExecdInput.Configuration;
using KafkaExecdInput.Demo;
using KafkaExecdInput.Execd;
using KafkaExecdInput.History;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Logging;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Cli;

/// <summary>
/// Wires the pipeline of design.md §2 for one run of the Telegraf-facing process: configuration,
/// logging, the worker-backed collector, the metric builder and the execd loop (or one --once gather).
/// </summary>
internal static class PluginRunner
{
    public static async Task<int> RunAsync(CommandLine commandLine, Stream stdin, Stream stdout)
    {
        // Registered before anything slow starts, so that a SIGTERM during start-up is a clean stop too.
        using var shutdown = new CancellationTokenSource();
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        using var demo = commandLine.Demo ? DemoCluster.Start() : null;
        PluginConfig config;
        try
        {
            config = demo is not null
                ? PluginConfig.ForBrokers([.. demo.BootstrapServers.Split(',')]).With(Options.LagSecondsExact, true)
                    .With(Options.GroupPartitionOwners, true)
                : ConfigLoader.Load(commandLine.ConfigPath!, Environment.GetEnvironmentVariable);
        }
        catch (ConfigException e)
        {
            // Logging is not configured yet (log_level comes from the file): write the prefix by hand.
            foreach (var message in e.Errors)
            {
                Console.Error.WriteLine($"E! {TelegrafLogLine.Flatten(message)}");
            }
            return ExitCodes.ConfigurationError;
        }

        using var logging = PluginLogging.Create(config.LogLevel);
        var logger = logging.CreateLogger("kafka-execd-input");
        var client = LibrdkafkaSettings.Build(config);
        WarnAboutRiskySettings(config, client, logger);

        var families = MetricFamilies.For(config);
        var lagStatus = MetricFamilies.LagStatusOf(families, config);
        var stateFile = config.Get(Options.StateFile) is { } statePath ? new HistoryStateFile(statePath, logger) : null;
        try
        {
            stateFile?.CheckUsable();
        }
        catch (StateFileException e)
        {
            logger.LogError("{Source}{Key}: {Message}", commandLine.ConfigPath is { } configPath ? $"{configPath}: " : "", Options.StateFile.QualifiedKey, e.Message);
            return ExitCodes.ConfigurationError;
        }
        var history = stateFile?.Load(TimeProvider.System, config.Get(Options.HistoryRetention), lagStatus)
            ?? new GatherHistory(TimeProvider.System, config.Get(Options.HistoryRetention)) { LagStatus = lagStatus };
        history.SamplesLatestOffsets = MetricFamilies.SampleLatestOffsets(families);

        var settings = ReaderSettings.For(config, client);
        await using var collector = new Collector(
            WorkerLaunch.ForThisExecutable(client.Environment), settings, logger, history,
            GatherPlan.For(config, families, TimeProvider.System, logger));
        try
        {
            await collector.StartAsync(shutdown.Token).ConfigureAwait(false);
        }
        catch (WorkerStartException) when (shutdown.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (WorkerStartException e)
        {
            // Like the loader's own messages, a setting the Kafka client rejects names the file it came from.
            logger.LogError("{Message}", e.IsConfigurationError && commandLine.ConfigPath is { } path ? $"{path}: {e.Message}" : e.Message);
            return e.IsConfigurationError ? ExitCodes.ConfigurationError : ExitCodes.InternalError;
        }

        var saver = stateFile is null ? null : new HistorySaver(stateFile, history, config.Get(Options.StateFileWriteEvery));
        var cycle = new GatherCycle(
            collector, new MetricBuilder(logger, families, settings.ShardOrWhole), config.Timeout, logger, TimeProvider.System,
            demo is null ? null : demo.AdvanceAsync, saver, output: stdout);

        if (commandLine.Once)
        {
            bool complete;
            try
            {
                // The block goes to stdout as it is built (OutputClosedException), the rest after.
                complete = await cycle.RunAsync(shutdown.Token).ConfigureAwait(false);
            }
            catch (OutputClosedException e)
            {
                return OutputClosed(e);
            }
            try
            {
                await stdout.WriteAsync(cycle.Output).ConfigureAwait(false);
                await stdout.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return OutputClosed(e);
            }
            await (saver?.SaveOnExitAsync() ?? Task.CompletedTask).ConfigureAwait(false);
            return complete ? ExitCodes.Success : ExitCodes.GatherIncomplete;

            int OutputClosed(IOException e)
            {
                logger.LogError("stdout was closed ({Reason}): the metrics of this collection were not written", e.Message);
                return ExitCodes.OutputClosed;
            }
        }

        var interval = commandLine.IntervalOr(config.Interval);
        logger.LogInformation("started: collecting from {Brokers} {Schedule}",
            string.Join(",", config.Brokers),
            interval is { } period ? $"every {period.TotalSeconds:0.###}s and on each line on stdin" : "on each line on stdin");
        var exitCode = await new ExecdLoop(cycle, stdout, logger, warmUp: config.Get(Options.WarmUp)).RunAsync(stdin, interval, shutdown.Token).ConfigureAwait(false);
        await (saver?.SaveOnExitAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        logger.LogInformation("stopped");
        return exitCode;

        void Stop(PosixSignalContext context)
        {
            // Handled here: the loop ends its gather and exits cleanly instead of the runtime killing it.
            context.Cancel = true;
            shutdown.Cancel();
        }
    }

    private static void WarnAboutRiskySettings(PluginConfig config, LibrdkafkaSettings client, ILogger logger)
    {
        if (config.Tls.InsecureSkipVerify)
        {
            logger.LogWarning("insecure_skip_verify = true: broker TLS certificates and host names are NOT verified");
        }
        foreach (var key in client.OverriddenKeys)
        {
            logger.LogWarning("[inputs.kafka.librdkafka] {Key} overrides the value derived from the plugin's own options", key);
        }
    }
}
