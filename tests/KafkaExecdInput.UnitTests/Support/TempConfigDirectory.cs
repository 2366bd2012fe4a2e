using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Support;

/// <summary>A temporary folder holding a config file and the files it points at.</summary>
internal sealed class TempConfigDirectory : IDisposable
{
    public TempConfigDirectory()
    {
        Path = Directory.CreateTempSubdirectory("kafka-execd-config-").FullName;
    }

    public string Path { get; }

    public string ConfigPath => System.IO.Path.Combine(Path, "kafka.conf");

    /// <summary>Creates a file (e.g. a CA certificate) and returns its absolute path.</summary>
    public string AddFile(string name, string content = "dummy")
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    public PluginConfig Load(string toml, IReadOnlyDictionary<string, string>? environment = null)
    {
        File.WriteAllText(ConfigPath, toml);
        return ConfigLoader.Load(ConfigPath, name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null);
    }

    /// <summary>Loads <paramref name="toml"/>, expecting it to fail, and returns the messages.</summary>
    public IReadOnlyList<string> Errors(string toml, IReadOnlyDictionary<string, string>? environment = null)
    {
        ConfigException exception = Assert.Throws<ConfigException>(() => Load(toml, environment));
        Assert.NotEmpty(exception.Errors);
        return exception.Errors;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
    }
}
