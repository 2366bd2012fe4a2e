using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("10s", 10_000.0)]
    [InlineData("500ms", 500.0)]
    [InlineData("1m", 60_000.0)]
    [InlineData("1m30s", 90_000.0)]
    [InlineData("1.5h", 5_400_000.0)]
    [InlineData("2h45m0.5s", 9_900_500.0)]
    [InlineData("250us", 0.25)]
    [InlineData("250µs", 0.25)]
    [InlineData("250μs", 0.25)]
    [InlineData("1500000ns", 1.5)]
    [InlineData(".5s", 500.0)]
    [InlineData("+3s", 3_000.0)]
    [InlineData("-3s", -3_000.0)]
    [InlineData("0", 0.0)]
    public void Parses_go_durations(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out TimeSpan duration, out string? problem), problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("10", "has a number without a unit (write e.g. \"10s\")")]
    [InlineData("s", "is not a duration (write e.g. \"10s\", \"500ms\", \"1m30s\")")]
    [InlineData("1d", "has an unknown unit \"d\" (use ns, us, ms, s, m or h)")]
    [InlineData("10 s", "has an unknown unit \" s\" (use ns, us, ms, s, m or h)")]
    [InlineData("1.2.3s", "is not a duration (write e.g. \"10s\", \"500ms\", \"1m30s\")")]
    public void Refuses_what_go_refuses(string text, string expected)
    {
        Assert.False(DurationText.TryParse(text, out _, out string? problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData(10_000.0, "10s")]
    [InlineData(90_000.0, "1m30s")]
    [InlineData(5_400_000.0, "1h30m")]
    [InlineData(500.0, "500ms")]
    [InlineData(1_500.0, "1.5s")]
    [InlineData(0.0, "0s")]
    public void Formats_compactly_for_messages(double milliseconds, string expected)
    {
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
