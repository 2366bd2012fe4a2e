using KafkaExecdInput.Cli;

namespace KafkaExecdInput.UnitTests.Cli;

public class CommandLineTests
{
    [Fact]
    public void Config_once_and_interval_are_read_in_both_spellings()
    {
        var parsed = CommandLine.Parse(["--config", "/etc/k.conf", "--once", "--interval=30s"]);

        Assert.Equal("/etc/k.conf", parsed.ConfigPath);
        Assert.True(parsed.Once);
        Assert.Equal(TimeSpan.FromSeconds(30), parsed.Interval);
        Assert.Equal("/x", CommandLine.Parse(["--config=/x"]).ConfigPath);
    }

    [Theory]
    [InlineData(new[] { "--config", "a", "--bogus" }, "unknown option \"--bogus\"")]
    [InlineData(new[] { "--config" }, "--config needs a value")]
    [InlineData(new[] { "--config", "--once" }, "--config needs a value")]
    [InlineData(new[] { "--once" }, "no configuration")]
    [InlineData(new[] { "--demo", "--config", "a" }, "cannot be combined")]
    [InlineData(new[] { "--demo", "--interval", "soon" }, "--interval: \"soon\" is not a positive duration")]
    [InlineData(new[] { "--demo", "--interval", "0s" }, "is not a positive duration")]
    public void Mistakes_are_explained_in_one_line(string[] args, string expected)
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Help_and_version_need_no_configuration()
    {
        Assert.True(CommandLine.Parse(["--help"]).ShowHelp);
        Assert.True(CommandLine.Parse(["--version"]).ShowVersion);
        Assert.True(CommandLine.Parse(["--demo"]).Demo);
    }
}
