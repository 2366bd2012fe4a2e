using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

public sealed class EnvironmentExpanderTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["HOST"] = "kafka1",
        ["EMPTY"] = "",
        ["TRICKY"] = "a\"b\\c\nd\te",
        ["_UNDER_1"] = "u",
    };

    private static (string Text, List<(int Line, string Problem)> Errors) Expand(string text)
    {
        var errors = new List<(int, string)>();
        string result = EnvironmentExpander.Expand(text, name => Environment.GetValueOrDefault(name), (line, problem) => errors.Add((line, problem)));
        return (result, errors);
    }

    [Theory]
    [InlineData("x = \"$HOST:9092\"", "x = \"kafka1:9092\"")]
    [InlineData("x = \"${HOST}9092\"", "x = \"kafka19092\"")]
    [InlineData("x = \"$_UNDER_1$HOST\"", "x = \"ukafka1\"")]
    [InlineData("x = \"[$EMPTY]\"", "x = \"[]\"")]
    [InlineData("x = \"cost $$5\"", "x = \"cost $5\"")]
    [InlineData("x = \"$$HOST\"", "x = \"$HOST\"")]
    [InlineData("x = \"pa$5word\"", "x = \"pa$5word\"")]
    [InlineData("x = \"ends with $\"", "x = \"ends with $\"")]
    [InlineData("x = \"$ space\"", "x = \"$ space\"")]
    [InlineData("no dollar at all", "no dollar at all")]
    public void Expands_references_and_leaves_other_dollars(string input, string expected)
    {
        (string text, var errors) = Expand(input);

        Assert.Equal(expected, text);
        Assert.Empty(errors);
    }

    [Fact]
    public void Escapes_values_for_toml_basic_strings()
    {
        Assert.Equal("x = \"a\\\"b\\\\c\\nd\\te\"", Expand("x = \"$TRICKY\"").Text);
    }

    [Fact]
    public void Leaves_whole_line_comments_alone()
    {
        (string text, var errors) = Expand("  # uses $UNDEFINED and ${HOST}\nx = \"$HOST\" # trailing $HOST\n");

        Assert.Equal("  # uses $UNDEFINED and ${HOST}\nx = \"kafka1\" # trailing kafka1\n", text);
        Assert.Empty(errors);
    }

    [Fact]
    public void Reports_undefined_variables_with_their_line()
    {
        (string text, var errors) = Expand("a = 1\nb = \"$NOPE\"\nc = \"${ALSO_NOPE}\"\n");

        Assert.Equal("a = 1\nb = \"\"\nc = \"\"\n", text);
        Assert.Equal(
            [
                (2, "environment variable NOPE is not set (write $$ for a literal $)"),
                (3, "environment variable ALSO_NOPE is not set (write $$ for a literal $)"),
            ],
            errors);
    }

    [Theory]
    [InlineData("x = \"${HOST\"")]
    [InlineData("x = \"${}\"")]
    [InlineData("x = \"${1ABC}\"")]
    [InlineData("x = \"${HOST\n}\"")]
    public void Reports_malformed_braces(string input)
    {
        (_, var errors) = Expand(input);

        Assert.Equal(1, Assert.Single(errors).Line);
        Assert.Contains("malformed", errors[0].Problem, StringComparison.Ordinal);
    }
}
