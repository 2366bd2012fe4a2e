using System.Text.Json;
using System.Text.RegularExpressions;
using KafkaExecdInput.Cli;

namespace KafkaExecdInput.UnitTests.Cli;

/// <summary>Every `command = [...]` of an [[inputs.execd]] block in README.md is a command line the plugin accepts.</summary>
public sealed partial class ReadmeCommandTests
{
    [Fact]
    public void The_execd_commands_in_the_readme_parse_in_both_flag_spellings()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        var commands = ExecdCommand().Matches(readme).Select(m => JsonSerializer.Deserialize<string[]>(m.Groups[1].Value)!).ToList();

        Assert.Contains(commands, c => c.Contains("-config"));
        Assert.Contains(commands, c => c.Contains("--config"));
        Assert.All(commands, command => Assert.NotNull(CommandLine.Parse(command[1..]).ConfigPath));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KafkaExecdInput.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("KafkaExecdInput.sln not found above the test folder");
    }

    [GeneratedRegex(@"^\s*command = (\[.*\])\s*$", RegexOptions.Multiline)]
    private static partial Regex ExecdCommand();
}
