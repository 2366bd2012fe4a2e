using System.Text.RegularExpressions;
using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

/// <summary>Keeps plugin.conf.sample loadable, complete and truthful about defaults.</summary>
public sealed partial class SampleConfigTests
{
    /// <summary>Options whose commented value in the sample is the default.</summary>
    private static readonly string[] KeysShownWithTheirDefault =
    [
        ConfigKeys.ClientId, ConfigKeys.TopicInclude, ConfigKeys.TopicExclude, ConfigKeys.GroupInclude, ConfigKeys.GroupExclude,
        ConfigKeys.Timeout, ConfigKeys.RequestTimeout, ConfigKeys.MaxConcurrentRequests, ConfigKeys.LogLevel,
        ConfigKeys.EnableTls, ConfigKeys.InsecureSkipVerify, ConfigKeys.SaslMechanism,
    ];

    private static readonly string SamplePath = FindSample();

    private static string FindSample()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "plugin.conf.sample");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("plugin.conf.sample not found above " + AppContext.BaseDirectory);
    }

    // "  # key = value": a commented-out setting (documentation lines start with "##").
    [GeneratedRegex(@"^(?<indent>\s*)# +(?<setting>(?<key>[A-Za-z_""][\w.""]*) = .*)$")]
    private static partial Regex CommentedSetting();

    private static string Uncomment(string text, Func<string, bool> shouldUncomment)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match match = CommentedSetting().Match(lines[i]);
            if (match.Success && shouldUncomment(match.Groups["key"].Value))
            {
                lines[i] = match.Groups["indent"].Value + match.Groups["setting"].Value;
            }
        }

        return string.Join('\n', lines);
    }

    private static PluginConfig Parse(string text, Func<string, string?>? getEnv = null) =>
        ConfigLoader.Parse(text, SamplePath, getEnv ?? (_ => null), Path.GetDirectoryName(SamplePath)!);

    [Fact]
    public void The_sample_loads_as_shipped()
    {
        PluginConfig config = ConfigLoader.Load(SamplePath, _ => null);

        Assert.Equal(PluginConfig.ForBrokers("localhost:9092"), config);
    }

    [Fact]
    public void The_defaults_the_sample_shows_are_the_real_defaults()
    {
        string text = File.ReadAllText(SamplePath);
        foreach (string key in KeysShownWithTheirDefault)
        {
            Assert.Matches(new Regex($@"^\s*# {key} = ", RegexOptions.Multiline), text);
        }

        PluginConfig uncommented = Parse(Uncomment(text, key => KeysShownWithTheirDefault.Contains(key)));

        Assert.Equal(PluginConfig.ForBrokers("localhost:9092"), uncommented);
    }

    [Fact]
    public void Every_option_is_documented_in_the_sample()
    {
        string text = File.ReadAllText(SamplePath);

        Assert.All(KafkaTableReader.KnownKeys, key => Assert.Matches(new Regex($@"^\s*#? ?{key} = ", RegexOptions.Multiline), text));
    }

    [Fact]
    public void Every_commented_setting_in_the_sample_is_a_real_option()
    {
        string[] commented = [.. File.ReadAllLines(SamplePath)
            .Select(line => CommentedSetting().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["key"].Value)];

        Assert.NotEmpty(commented);
        Assert.All(commented, key => Assert.True(
            KafkaTableReader.KnownKeys.Contains(key) || key.StartsWith('"'),
            $"plugin.conf.sample shows an unknown option '{key}'"));
    }

    [Fact]
    public void The_librdkafka_example_is_valid()
    {
        string text = File.ReadAllText(SamplePath).Replace("  # [inputs.kafka.librdkafka]", "[inputs.kafka.librdkafka]", StringComparison.Ordinal);

        PluginConfig config = Parse(Uncomment(text, key => key.StartsWith('"')));

        Assert.Equal("true", config.Librdkafka["socket.keepalive.enable"]);
        Assert.Equal("60000", config.Librdkafka["topic.metadata.refresh.interval.ms"]);
    }

    [Fact]
    public void The_sasl_scram_example_is_valid_with_its_variable_set()
    {
        string text = Uncomment(File.ReadAllText(SamplePath), key => key is ConfigKeys.SaslUsername or ConfigKeys.SaslPassword)
            .Replace("# sasl_mechanism = \"\"", "sasl_mechanism = \"SCRAM-SHA-512\"", StringComparison.Ordinal);

        PluginConfig config = Parse(text, name => name == "KAFKA_PASSWORD" ? "from-env" : null);

        Assert.Equal(new SaslSettings(SaslMechanism.ScramSha512, "monitor", "from-env"), config.Sasl);
    }

    [Fact]
    public void The_oidc_example_is_valid_with_its_variable_set()
    {
        string text = Uncomment(File.ReadAllText(SamplePath), key => key.StartsWith("sasl_oauthbearer_", StringComparison.Ordinal))
            .Replace("# sasl_mechanism = \"\"", "sasl_mechanism = \"OAUTHBEARER\"", StringComparison.Ordinal);

        PluginConfig config = Parse(text, name => name == "KAFKA_OIDC_SECRET" ? "s" : null);

        Assert.True(config.Sasl.OAuthBearer.UsesOidc);
    }
}
