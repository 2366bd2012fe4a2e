using System.Reflection;
using KafkaExecdInput.Cli;
using KafkaExecdInput.Logging;
using KafkaExecdInput.Worker;

CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"E! {e.Message}");
    Console.Error.WriteLine(CommandLine.Usage);
    return ExitCodes.ConfigurationError;
}

try
{
    if (commandLine.Worker)
    {
        return await WorkerHost.RunAsync();
    }
    if (commandLine.ShowHelp)
    {
        Console.Out.WriteLine(CommandLine.Usage);
        return ExitCodes.Success;
    }
    if (commandLine.ShowVersion)
    {
        // Only managed metadata: loading librdkafka here would break the rule that this process holds no native Kafka code.
        var version = typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Console.Out.WriteLine($"kafka-execd-input {version} (Confluent.Kafka {typeof(Confluent.Kafka.IAdminClient).Assembly.GetName().Version})");
        return ExitCodes.Success;
    }
    return await PluginRunner.RunAsync(commandLine, Console.OpenStandardInput(), StandardOutput.Open());
}
catch (Exception e)
{
    // A bug, not a user's mistake; still one Telegraf-readable line rather than a stack trace.
    Console.Error.WriteLine($"E! {(commandLine.Worker ? "worker" : "plugin")} failed unexpectedly: {e.GetType().Name}: {TelegrafLogLine.Flatten(e.Message)}");
    return ExitCodes.InternalError;
}
