using System.Globalization;

namespace KafkaExecdInput.Tests.Support;

/// <summary>A plugin configuration file in a temporary folder, deleted on dispose.</summary>
internal sealed class PluginConfigFile : IDisposable
{
    private readonly string _directory;

    /// <param name="warmUp">
    /// The plugin's warm_up, off here unless asked for: these tests pair each request with the gather it
    /// starts, which the warm-up gather (Execd/GatherCycle.WarmUpAsync) makes depend on timing.
    /// </param>
    public PluginConfigFile(
        string bootstrapServers,
        string extraSettings = "",
        string? librdkafka = null,
        string timeout = "10s",
        string requestTimeout = "5s",
        bool warmUp = false)
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("kafka-execd-input-test-").FullName;
        Path = System.IO.Path.Combine(_directory, "plugin.conf");
        var brokers = string.Join(", ", bootstrapServers.Split(',').Select(b => $"\"{b}\""));
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            [[inputs.kafka]]
              brokers = [{brokers}]
              timeout = "{timeout}"
              request_timeout = "{requestTimeout}"
              warm_up = {(warmUp ? "true" : "false")}
            {extraSettings}
            """);
        if (librdkafka is not null)
        {
            text += "\n[inputs.kafka.librdkafka]\n" + librdkafka + "\n";
        }
        File.WriteAllText(Path, text);
    }

    private PluginConfigFile(string text)
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("kafka-execd-input-test-").FullName;
        Path = System.IO.Path.Combine(_directory, "plugin.conf");
        File.WriteAllText(Path, text);
    }

    /// <summary>A file with exactly this text, for configurations that are wrong in ways the constructor cannot write.</summary>
    public static PluginConfigFile FromText(string text) => new(text);

    public string Path { get; }

    /// <summary>The folder the file is in; relative paths in the file are resolved against it.</summary>
    public string Directory => _directory;

    public string[] OnceArguments => ["--config", Path, "--once"];

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);
}
