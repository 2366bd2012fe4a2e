using KafkaExecdInput.Logging;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.Logging;

public sealed class TelegrafConsoleFormatterTests
{
    private static string Render(LogLevel level, string? message, Exception? exception = null, bool stackTraces = false) =>
        TelegrafConsoleFormatter.Render(level, message, exception, stackTraces);

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    [Theory]
    [InlineData(LogLevel.Critical, "E! ")]
    [InlineData(LogLevel.Error, "E! ")]
    [InlineData(LogLevel.Warning, "W! ")]
    [InlineData(LogLevel.Information, "I! ")]
    [InlineData(LogLevel.Debug, "D! ")]
    [InlineData(LogLevel.Trace, "T! ")]
    public void Starts_each_record_with_telegrafs_prefix_and_ends_it_with_one_newline(LogLevel level, string prefix)
    {
        Assert.Equal(prefix + "gather took 3s\n", Render(level, "gather took 3s"));
    }

    [Fact]
    public void Keeps_a_multi_line_message_on_one_line()
    {
        string line = Render(LogLevel.Warning, "first\nsecond\r\nthird\rfourth\u001b[31m\ttab");

        Assert.Equal("W! first\\nsecond\\nthird\\rfourth\\x1B[31m\ttab\n", line);
    }

    [Fact]
    public void Shows_exception_type_and_message_without_stack_trace()
    {
        Exception exception = Thrown(new InvalidOperationException("outer\nproblem", new TimeoutException("inner")));

        string line = Render(LogLevel.Error, "gather failed", exception);

        Assert.Equal(
            "E! gather failed: InvalidOperationException: outer\\nproblem ---> TimeoutException: inner\n",
            line);
    }

    [Fact]
    public void Shows_the_stack_trace_on_one_line_only_when_configured_for_trace()
    {
        Exception exception = Thrown(new InvalidOperationException("boom"));

        string line = Render(LogLevel.Error, "gather failed", exception, stackTraces: true);

        Assert.StartsWith("E! gather failed: System.InvalidOperationException: boom\\n   at ", line);
        Assert.Contains(nameof(Thrown), line, StringComparison.Ordinal);
        Assert.Equal(1, line.Count(c => c == '\n'));
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_without_a_message_is_still_shown()
    {
        Assert.Equal("E! FormatException: bad\n", Render(LogLevel.Error, "", new FormatException("bad")));
    }

    [Fact]
    public void Cuts_a_huge_record_well_below_telegrafs_64_KiB_limit()
    {
        string line = Render(LogLevel.Information, new string('x', 100_000));

        Assert.Equal(TelegrafConsoleFormatter.MaxLineLength + 1, line.Length);
        Assert.EndsWith(TelegrafConsoleFormatter.TruncationMarker + "\n", line, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) < 64 * 1024);
    }

    [Fact]
    public void Cutting_never_splits_a_surrogate_pair()
    {
        // 😀 is two UTF-16 units; with the 3-character prefix the cut falls inside a pair.
        string line = Render(LogLevel.Information, string.Concat(Enumerable.Repeat("😀", 20_000)));

        string kept = line[..^(TelegrafConsoleFormatter.TruncationMarker.Length + 1)];
        Assert.False(char.IsHighSurrogate(kept[^1]));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) < 64 * 1024);
    }

    [Fact]
    public void Worst_case_utf8_stays_under_64_KiB()
    {
        string line = Render(LogLevel.Information, new string('€', 100_000));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) < 64 * 1024);
    }
}
