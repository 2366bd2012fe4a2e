using KafkaExecdInput.Logging;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.Logging;

public sealed class TelegrafLogLineTests
{
    [Theory]
    [InlineData(LogLevel.Error)]
    [InlineData(LogLevel.Warning)]
    [InlineData(LogLevel.Information)]
    [InlineData(LogLevel.Debug)]
    [InlineData(LogLevel.Trace)]
    public void A_rendered_record_reads_back_as_its_level_and_message(LogLevel level)
    {
        string line = TelegrafConsoleFormatter.Render(level, "worker: offsets fetched", null, false).TrimEnd('\n');

        Assert.Equal(new PrefixedLogLine(level, "worker: offsets fetched"), TelegrafLogLine.Parse(line));
    }

    [Fact]
    public void Critical_reads_back_as_error_because_telegraf_has_no_critical()
    {
        string line = TelegrafConsoleFormatter.Render(LogLevel.Critical, "dying", null, false).TrimEnd('\n');

        Assert.Equal(new PrefixedLogLine(LogLevel.Error, "dying"), TelegrafLogLine.Parse(line));
    }

    [Theory]
    [InlineData("librdkafka: something odd")]
    [InlineData("e! lower case is not a prefix")]
    [InlineData("W!no space")]
    [InlineData("I!")]
    [InlineData("")]
    public void A_line_without_a_prefix_is_an_error_kept_whole(string line)
    {
        Assert.Equal(new PrefixedLogLine(LogLevel.Error, line), TelegrafLogLine.Parse(line));
    }

    [Fact]
    public void An_empty_message_after_a_prefix_is_kept_empty()
    {
        Assert.Equal(new PrefixedLogLine(LogLevel.Debug, ""), TelegrafLogLine.Parse("D! "));
    }

    [Fact]
    public void Flatten_turns_every_line_break_into_a_visible_escape()
    {
        Assert.Equal("a\\nb\\nc\\rd", TelegrafLogLine.Flatten("a\r\nb\nc\rd"));
    }
}
