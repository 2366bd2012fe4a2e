using System.Reflection;
using System.Text.RegularExpressions;
using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

/// <summary>
/// plugin.conf.sample and the README's copy of its table are generated from the option declarations
/// (<see cref="Options"/>); these tests keep the committed files equal to them, and the sample
/// loadable and truthful about defaults. After changing a declaration, regenerate both with
/// <c>UPDATE_SAMPLE_CONFIG=1 dotnet test tests/KafkaExecdInput.UnitTests --filter SampleConfig</c>.
/// </summary>
public sealed partial class SampleConfigTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    private static readonly string SamplePath = Path.Combine(RepoRoot, "plugin.conf.sample");

    private static readonly string ReadmePath = Path.Combine(RepoRoot, "README.md");

    private static readonly bool Update = Environment.GetEnvironmentVariable("UPDATE_SAMPLE_CONFIG") == "1";

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "plugin.conf.sample")))
            {
                return dir.FullName;
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
        ConfigLoader.Parse(text, SamplePath, getEnv ?? (_ => null), RepoRoot);

    [Fact]
    public void The_sample_is_the_one_generated_from_the_declarations()
    {
        string expected = Options.SampleConfig();
        if (Update)
        {
            File.WriteAllText(SamplePath, expected);
        }

        Assert.True(expected == File.ReadAllText(SamplePath),
            "plugin.conf.sample differs from the option declarations; regenerate it with UPDATE_SAMPLE_CONFIG=1 (see this class's comment)");
    }

    [Fact]
    public void The_readme_shows_the_generated_sample()
    {
        string block = "```toml\n" + Options.SampleTable() + "```\n";
        string readme = File.ReadAllText(ReadmePath);
        if (Update)
        {
            int start = readme.IndexOf("```toml\n[[inputs.kafka]]\n  ## Bootstrap", StringComparison.Ordinal);
            int end = readme.IndexOf("\n```\n", start, StringComparison.Ordinal) + "\n```\n".Length;
            readme = readme[..start] + block + readme[end..];
            File.WriteAllText(ReadmePath, readme);
        }

        Assert.True(readme.Contains(block, StringComparison.Ordinal),
            "README.md's configuration block differs from the option declarations; regenerate it with UPDATE_SAMPLE_CONFIG=1 (see this class's comment)");
    }

    [Fact]
    public void Every_declared_option_is_listed_once()
    {
        string[] declared = [.. typeof(Options).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType.IsAssignableTo(typeof(OptionDeclaration)))
            .Select(field => ((OptionDeclaration)field.GetValue(null)!).Key)];

        Assert.Equal(declared.Order(StringComparer.Ordinal), Options.All.Select(o => o.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_sample_loads_as_shipped()
    {
        PluginConfig config = ConfigLoader.Load(SamplePath, _ => null);

        Assert.Equal(PluginConfig.ForBrokers("localhost:9092"), config);
    }

    [Fact]
    public void The_defaults_the_sample_shows_are_the_real_defaults()
    {
        // SASL options are refused without their mechanism, even at their default.
        string[] shownWithDefault = [.. Options.All.Where(o => o.Example is null && o.UsedBySasl is null).Select(o => o.Key)];

        PluginConfig uncommented = Parse(Uncomment(Options.SampleConfig(), shownWithDefault.Contains));

        Assert.Contains(Options.Timeout.Key, shownWithDefault);
        Assert.Equal(PluginConfig.ForBrokers("localhost:9092"), uncommented);
    }

    [Fact]
    public void The_librdkafka_example_is_valid()
    {
        string text = Options.SampleConfig().Replace("  # [inputs.kafka.librdkafka]", "[inputs.kafka.librdkafka]", StringComparison.Ordinal);

        PluginConfig config = Parse(Uncomment(text, key => key.StartsWith('"')));

        Assert.Equal("true", config.Librdkafka["socket.keepalive.enable"]);
        Assert.Equal("60000", config.Librdkafka["topic.metadata.refresh.interval.ms"]);
    }

    [Fact]
    public void The_sasl_scram_example_is_valid_with_its_variable_set()
    {
        string text = Uncomment(Options.SampleConfig(), key => key == Options.SaslUsername.Key || key == Options.SaslPassword.Key)
            .Replace("# sasl_mechanism = \"\"", "sasl_mechanism = \"SCRAM-SHA-512\"", StringComparison.Ordinal);

        PluginConfig config = Parse(text, name => name == "KAFKA_PASSWORD" ? "from-env" : null);

        Assert.Equal(new SaslSettings(SaslMechanism.ScramSha512, "monitor", "from-env"), config.Sasl);
    }

    [Fact]
    public void The_oidc_example_is_valid_with_its_variable_set()
    {
        string text = Uncomment(Options.SampleConfig(), key => key.StartsWith("sasl_oauthbearer_", StringComparison.Ordinal))
            .Replace("# sasl_mechanism = \"\"", "sasl_mechanism = \"OAUTHBEARER\"", StringComparison.Ordinal);

        PluginConfig config = Parse(text, name => name == "KAFKA_OIDC_SECRET" ? "s" : null);

        Assert.True(config.Sasl.OAuthBearer.UsesOidc);
    }
}
