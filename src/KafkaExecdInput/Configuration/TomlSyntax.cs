using System.Globalization;
using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>A value read from the file, with the 1-based line it came from.</summary>
internal readonly record struct Located<T>(T Value, int Line);

/// <summary>
/// Small readers over Tomlyn's syntax tree. The tree (rather than Tomlyn's object model) is used
/// because it keeps every key's line, which every error message names.
/// </summary>
internal static class TomlSyntax
{
    public static int Line(SyntaxNodeBase node) => node.Span.Start.Line + 1;

    /// <summary>The key as one dotted string: <c>socket.timeout.ms</c> and <c>"socket.timeout.ms"</c> both give "socket.timeout.ms".</summary>
    public static string KeyText(KeySyntax key) => string.Join('.', KeySegments(key));

    /// <summary>The key's segments, so a dotted key's first part can be told apart.</summary>
    public static IReadOnlyList<string> KeySegments(KeySyntax key)
    {
        var segments = new List<string> { Segment(key.Key) };
        foreach (DottedKeyItemSyntax dotted in key.DotKeys)
        {
            segments.Add(Segment(dotted.Key));
        }

        return segments;
    }

    /// <summary>"a string", "an integer", …: what a value is, for type errors (never the value itself).</summary>
    public static string Describe(ValueSyntax? value) => value switch
    {
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        ArraySyntax => "an array",
        InlineTableSyntax => "an inline table",
        DateTimeValueSyntax => "a date-time",
        null => "nothing",
        _ => "an unsupported value",
    };

    /// <summary>A scalar in the string form librdkafka expects ("true", "1000", "0.5", "a,b" for a list).</summary>
    public static bool TryFormatForLibrdkafka(ValueSyntax? value, out string text)
    {
        switch (value)
        {
            case StringValueSyntax s:
                text = s.Value ?? "";
                return true;
            case IntegerValueSyntax i:
                text = i.Value.ToString(CultureInfo.InvariantCulture);
                return true;
            case FloatValueSyntax f:
                text = f.Value.ToString("R", CultureInfo.InvariantCulture);
                return true;
            case BooleanValueSyntax b:
                text = b.Value ? "true" : "false";
                return true;
            case ArraySyntax array:
                var items = new List<string>();
                foreach (ArrayItemSyntax item in array.Items)
                {
                    if (item.Value is ArraySyntax || !TryFormatForLibrdkafka(item.Value, out string itemText))
                    {
                        text = "";
                        return false;
                    }

                    items.Add(itemText);
                }

                text = string.Join(",", items);
                return true;
            default:
                text = "";
                return false;
        }
    }

    private static string Segment(BareKeyOrStringValueSyntax? segment) => segment switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };
}
