using KafkaExecdInput.Logging;

namespace KafkaExecdInput.UnitTests.Logging;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("orders", "\"orders\"")]
    [InlineData("with \"quote\" and \\", "\"with \\\"quote\\\" and \\\\\"")]
    [InlineData("new\nline\r\t", "\"new\\nline\\r\\t\"")]
    [InlineData("esc\u001b[2J", "\"esc\\u001B[2J\"")]
    [InlineData("emoji 😀", "\"emoji 😀\"")]
    public void Quotes_a_name_so_it_is_visible_and_stays_on_one_line(string name, string expected)
    {
        Assert.Equal(expected, LogText.Quote(name));
    }

    [Fact]
    public void Quotes_a_lone_surrogate_as_an_escape()
    {
        Assert.Equal("\"a\\uD800b\"", LogText.Quote("a" + (char)0xD800 + "b"));
    }

    [Fact]
    public void Shortens_a_huge_name()
    {
        string quoted = LogText.Quote(new string('g', 10_000));

        Assert.Equal("\"" + new string('g', LogText.MaxQuotedLength) + "\"…(10000 characters)", quoted);
    }
}
