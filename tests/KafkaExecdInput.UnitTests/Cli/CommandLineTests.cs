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
    // The command line of Telegraf's Go shim README, and the other ways Go's flag package accepts it.
    [InlineData("-config", "/etc/kafka-execd-input/plugin.conf")]
    [InlineData("--config", "/etc/kafka-execd-input/plugin.conf")]
    [InlineData("-config=/etc/kafka-execd-input/plugin.conf")]
    [InlineData("--config=/etc/kafka-execd-input/plugin.conf")]
    public void The_config_flag_takes_one_dash_or_two_and_a_separate_or_inline_value(params string[] args)
    {
        Assert.Equal("/etc/kafka-execd-input/plugin.conf", CommandLine.Parse(args).ConfigPath);
    }

    [Theory]
    [InlineData("-poll_interval", "10s")]
    [InlineData("-poll_interval=10s")]
    [InlineData("--poll_interval", "10s")]
    [InlineData("-interval", "10s")]
    public void Poll_interval_is_the_shims_name_for_the_plugins_own_schedule(params string[] args)
    {
        var parsed = CommandLine.Parse(["-config", "p.conf", .. args]);

        Assert.Equal(TimeSpan.FromSeconds(10), parsed.Interval);
        // The command line's schedule wins over the configuration file's `interval`.
        Assert.Equal(TimeSpan.FromSeconds(10), parsed.IntervalOr(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Poll_interval_takes_gos_duration_syntax()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), CommandLine.Parse(["-config", "p", "-poll_interval", "1m30s"]).Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), CommandLine.Parse(["-config", "p", "-poll_interval=500ms"]).Interval);
    }

    [Theory]
    [InlineData(new[] { "-poll_interval_disabled" }, true)]
    [InlineData(new[] { "--poll_interval_disabled" }, true)]
    [InlineData(new[] { "-poll_interval_disabled=true" }, true)]
    [InlineData(new[] { "-poll_interval_disabled=1" }, true)]
    [InlineData(new[] { "-poll_interval_disabled=false" }, false)]
    [InlineData(new[] { "-poll_interval_disabled=F" }, false)]
    // As in the shim, disabling wins over a poll interval given next to it, in either order.
    [InlineData(new[] { "-poll_interval", "5s", "-poll_interval_disabled" }, true)]
    [InlineData(new[] { "-poll_interval_disabled", "-poll_interval", "5s" }, true)]
    public void Poll_interval_disabled_leaves_only_the_stdin_requests(string[] args, bool disabled)
    {
        var parsed = CommandLine.Parse(["-config", "p.conf", .. args]);

        var fromFile = TimeSpan.FromSeconds(30);
        var expected = disabled ? (TimeSpan?)null : parsed.Interval ?? fromFile;
        Assert.Equal(disabled, parsed.IntervalDisabled);
        Assert.Equal(expected, parsed.IntervalOr(fromFile));
    }

    [Fact]
    public void Without_any_schedule_flag_the_configuration_files_interval_applies()
    {
        var parsed = CommandLine.Parse(["-config", "p.conf"]);

        Assert.Equal(TimeSpan.FromSeconds(30), parsed.IntervalOr(TimeSpan.FromSeconds(30)));
        Assert.Null(parsed.IntervalOr(null));
    }

    [Theory]
    [InlineData("-once")]
    [InlineData("--once=true")]
    [InlineData("-demo")]
    public void Every_flag_takes_the_single_dash_spelling_too(string flag)
    {
        var parsed = CommandLine.Parse(["--demo", flag]);

        Assert.True(parsed.Demo);
        Assert.Equal(flag.Contains("once", StringComparison.Ordinal), parsed.Once);
    }

    [Theory]
    [InlineData(new[] { "--config", "a", "--bogus" }, "unknown option \"--bogus\"")]
    [InlineData(new[] { "-config", "a", "-bogus" }, "unknown option \"-bogus\"")]
    [InlineData(new[] { "-config", "a", "stray" }, "unknown option \"stray\"")]
    [InlineData(new[] { "-config", "a", "---once" }, "unknown option \"---once\"")]
    [InlineData(new[] { "-config", "a", "-" }, "unknown option \"-\"")]
    [InlineData(new[] { "-config", "a", "-=x" }, "unknown option \"-=x\"")]
    [InlineData(new[] { "--config" }, "--config needs a value")]
    [InlineData(new[] { "-config" }, "-config needs a value")]
    [InlineData(new[] { "-config=" }, "-config needs a value")]
    [InlineData(new[] { "--config", "--once" }, "--config needs a value")]
    [InlineData(new[] { "-config", "-once" }, "-config needs a value")]
    [InlineData(new[] { "--once" }, "no configuration")]
    [InlineData(new[] { "--demo", "--config", "a" }, "cannot be combined")]
    [InlineData(new[] { "--demo", "--interval", "soon" }, "--interval: \"soon\" is not a positive duration")]
    [InlineData(new[] { "--demo", "--interval", "0s" }, "is not a positive duration")]
    [InlineData(new[] { "--demo", "-poll_interval=10" }, "-poll_interval: \"10\" is not a positive duration")]
    [InlineData(new[] { "--demo", "-poll_interval_disabled=maybe" }, "-poll_interval_disabled: \"maybe\" is not true or false")]
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
        Assert.True(CommandLine.Parse(["-h"]).ShowHelp);
        Assert.True(CommandLine.Parse(["-help"]).ShowHelp);
        Assert.True(CommandLine.Parse(["--version"]).ShowVersion);
        Assert.True(CommandLine.Parse(["--demo"]).Demo);
    }

    [Fact]
    public void The_usage_text_names_the_shims_flags()
    {
        Assert.Contains("-poll_interval DURATION", CommandLine.Usage, StringComparison.Ordinal);
        Assert.Contains("-poll_interval_disabled", CommandLine.Usage, StringComparison.Ordinal);
        Assert.Contains("-config PATH", CommandLine.Usage, StringComparison.Ordinal);
    }
}
