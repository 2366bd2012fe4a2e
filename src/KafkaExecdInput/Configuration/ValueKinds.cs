using System.Globalization;
using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>The kinds of value an option can hold.</summary>
internal static class ValueKinds
{
    /// <summary>Shortest accepted duration: librdkafka counts in milliseconds.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest accepted duration; also keeps milliseconds within librdkafka's 32-bit settings.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    public static readonly ValueKind<string?> Text = new((syntax, context) => syntax is StringValueSyntax { Value: var text }
        ? string.IsNullOrEmpty(text) ? Parsed<string?>.Unset : Parsed<string?>.Set(text, Quote(text))
        : context.WrongType<string?>("a string", syntax), text => Quote(text!));

    public static readonly ValueKind<Secret?> Secret = new((syntax, context) => syntax is StringValueSyntax { Value: var text }
        ? string.IsNullOrEmpty(text) ? Parsed<Secret?>.Unset : Parsed<Secret?>.Set(text, null)
        : context.WrongType<Secret?>("a string", syntax), _ => Configuration.Secret.Redacted);

    public static readonly ValueKind<bool> Flag = new((syntax, context) => syntax is BooleanValueSyntax { Value: var flag }
        ? Parsed<bool>.Set(flag, flag ? "true" : "false")
        : context.WrongType<bool>("true or false", syntax), flag => flag ? "true" : "false");

    public static readonly ValueKind<bool?> OptionalFlag = Optional(Flag);

    /// <summary>An integer; one beyond int's range is kept at its bound, so the option's range rule reports it as written.</summary>
    public static readonly ValueKind<int> Integer = new((syntax, context) => syntax is IntegerValueSyntax { Value: var number }
        ? Parsed<int>.Set((int)Math.Clamp(number, int.MinValue, int.MaxValue), number.ToString(CultureInfo.InvariantCulture))
        : context.WrongType<int>("an integer", syntax), number => number.ToString(CultureInfo.InvariantCulture));

    /// <summary>An integer, or unset by default.</summary>
    public static readonly ValueKind<int?> OptionalInteger = Optional(Integer);

    /// <summary>A Go duration string, or a TOML number meaning seconds (as Telegraf reads durations).</summary>
    public static readonly ValueKind<TimeSpan> Duration = new(ParseDuration, duration => Quote(DurationText.Format(duration)))
    {
        Rule = duration => duration <= TimeSpan.Zero ? "is not a positive duration"
            : duration < MinDuration ? "is shorter than 1ms"
            : duration > MaxDuration ? "is longer than 24h"
            : null,
    };

    public static readonly ValueKind<TimeSpan?> OptionalDuration = Optional(Duration);

    /// <summary>A file's absolute path (relative paths are relative to the config file's folder); it must be readable.</summary>
    public static readonly ValueKind<string?> File = new(ParseFile, path => Quote(path!));

    /// <summary>A path the plugin will write (absolute, relative ones relative to the config file's folder); it need not exist yet.</summary>
    public static readonly ValueKind<string?> OutputPath = new(ParseOutputPath, path => Quote(path!));

    /// <summary>An array of strings, each checked by <paramref name="itemRule"/> and reported with its index.</summary>
    public static ValueKind<IReadOnlyList<string>> StringList(Func<string, string?> itemRule) =>
        new((syntax, context) => ParseList(syntax, context, itemRule), items => $"[{string.Join(", ", items.Select(Quote))}]")
        {
            Rule = items => items.Select(item => itemRule(item) is { } problem ? $"{Quote(item)} {problem}" : null).FirstOrDefault(p => p is not null),
            Equal = (a, b) => a.SequenceEqual(b, StringComparer.Ordinal),
        };

    /// <summary>One of a few names, matched case-insensitively.</summary>
    public static ValueKind<T> Choice<T>(params (string Name, T Value)[] choices) => new(
        (syntax, context) =>
        {
            if (syntax is not StringValueSyntax { Value: var text })
            {
                return context.WrongType<T>("a string", syntax);
            }

            if (string.IsNullOrEmpty(text))
            {
                return Parsed<T>.Unset;
            }

            foreach ((string name, T value) in choices)
            {
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return Parsed<T>.Set(value, Quote(text));
                }
            }

            context.Fail($"{Quote(text)} is not one of {string.Join(", ", choices.Select(c => Quote(c.Name)))}");
            return Parsed<T>.Invalid;
        },
        value => Quote(choices.FirstOrDefault(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name ?? ""));

    private static ValueKind<TValue?> Optional<TValue>(ValueKind<TValue> kind)
        where TValue : struct => new(
            (syntax, context) =>
            {
                Parsed<TValue> parsed = kind.Parse(syntax, context);
                return new(parsed.State, parsed.Value, parsed.Written);
            },
            value => value is { } set ? kind.ToToml(set) : "")
        {
            Rule = value => value is { } set ? kind.Rule?.Invoke(set) : null,
        };

    private static string Quote(string text) => $"\"{text}\"";

    private static Parsed<TimeSpan> ParseDuration(ValueSyntax? syntax, ValueContext context)
    {
        switch (syntax)
        {
            case StringValueSyntax { Value: var text }:
                if (!DurationText.TryParse(text ?? "", out TimeSpan parsed, out string? problem))
                {
                    context.Fail($"{Quote(text ?? "")} {problem}");
                    return Parsed<TimeSpan>.Invalid;
                }

                return Parsed<TimeSpan>.Set(parsed, Quote(text ?? ""));
            case IntegerValueSyntax { Value: var seconds }:
                return Parsed<TimeSpan>.Set(SecondsOrMax(seconds), seconds.ToString(CultureInfo.InvariantCulture));
            case FloatValueSyntax { Value: var seconds } when double.IsFinite(seconds):
                return Parsed<TimeSpan>.Set(SecondsOrMax(seconds), seconds.ToString("R", CultureInfo.InvariantCulture));
            default:
                return context.WrongType<TimeSpan>("a duration such as \"10s\"", syntax);
        }
    }

    private static TimeSpan SecondsOrMax(double seconds) =>
        Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;

    private static Parsed<IReadOnlyList<string>> ParseList(ValueSyntax? syntax, ValueContext context, Func<string, string?> itemRule)
    {
        if (syntax is not ArraySyntax array)
        {
            return context.WrongType<IReadOnlyList<string>>("an array of strings", syntax);
        }

        var items = new List<string>();
        bool valid = true;
        int index = 0;
        foreach (ArrayItemSyntax item in array.Items)
        {
            string text = (item.Value as StringValueSyntax)?.Value ?? "";
            string? problem = item.Value is not StringValueSyntax ? $"expected a string, got {TomlSyntax.Describe(item.Value)}"
                : itemRule(text) is { } broken ? $"{Quote(text)} {broken}"
                : null;
            if (problem is not null)
            {
                context.FailItem(index, TomlSyntax.Line(item), problem);
                valid = false;
            }

            items.Add(text);

            index++;
        }

        return valid ? Parsed<IReadOnlyList<string>>.Set(items, null) : Parsed<IReadOnlyList<string>>.Invalid;
    }

    private static Parsed<string?> ParseOutputPath(ValueSyntax? syntax, ValueContext context)
    {
        Parsed<string?> path = Text.Parse(syntax, context);
        return path.State == ParseState.Set ? Parsed<string?>.Set(Path.GetFullPath(path.Value!, context.BaseDirectory), Quote(path.Value!)) : path;
    }

    private static Parsed<string?> ParseFile(ValueSyntax? syntax, ValueContext context)
    {
        Parsed<string?> path = Text.Parse(syntax, context);
        if (path.State != ParseState.Set)
        {
            return path;
        }

        string fullPath = Path.GetFullPath(path.Value!, context.BaseDirectory);
        if (FileProblem(fullPath) is { } problem)
        {
            context.Fail($"cannot read {Quote(fullPath)}: {problem}");
            return Parsed<string?>.Invalid;
        }

        return Parsed<string?>.Set(fullPath, Quote(fullPath));
    }

    private static string? FileProblem(string path)
    {
        if (Directory.Exists(path))
        {
            return "it is a directory";
        }

        try
        {
            using FileStream stream = System.IO.File.OpenRead(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex switch
            {
                FileNotFoundException => "no such file",
                DirectoryNotFoundException => "no such directory",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
        }
    }
}
