using System.Globalization;
using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// One option of the [[inputs.kafka]] table: key, TOML type, default, rule, whether it is secret,
/// and its entry in plugin.conf.sample. Every option is declared once, in <see cref="Options"/>;
/// the loader reads and checks values only through their declaration.
/// </summary>
internal abstract class OptionDeclaration(string key)
{
    public string Key => key;

    /// <summary>"inputs.kafka.timeout": how the key is named in messages.</summary>
    public string QualifiedKey => Options.Qualified(key);

    /// <summary>The "## " lines that open this option's paragraph in the sample; null continues the previous paragraph.</summary>
    public string? Help { get; init; }

    /// <summary>The TOML value the sample shows; null shows the default.</summary>
    public string? Example { get; init; }

    /// <summary>A required option is written uncommented in the sample, and leaving it out is an error.</summary>
    public bool IsRequired { get; init; }

    /// <summary>The SASL mechanisms that use this option (setting it for another is an error); null for other options.</summary>
    public IReadOnlyList<SaslMechanism>? UsedBySasl { get; init; }

    /// <summary>True when the value is a <see cref="Secret"/>: never shown in a message or a log.</summary>
    public abstract bool IsSecret { get; }

    /// <summary>This option's lines of plugin.conf.sample.</summary>
    public string SampleText()
    {
        string value = Example ?? DefaultToml ?? throw new InvalidOperationException($"{Key} has neither an example nor a default to show.");
        string help = Help is null ? "" : "\n" + string.Concat(Help.Split('\n').Select(line => $"  ## {line}\n"));
        return $"{help}  {(IsRequired ? "" : "# ")}{Key} = {value}\n";
    }

    /// <summary>The default in TOML, or null when unset by default.</summary>
    private protected abstract string? DefaultToml { get; }

    /// <summary>Reads and checks a value from the file, reporting every problem through <paramref name="context"/>.</summary>
    internal abstract Parsed<object?> Read(ValueSyntax? syntax, ValueContext context);

    internal abstract object? BoxedDefault { get; }

    internal abstract bool ValuesEqual(object? a, object? b);
}

/// <summary>An option whose value is a <typeparamref name="T"/>.</summary>
internal sealed class Option<T>(string key, ValueKind<T> kind, T defaultValue) : OptionDeclaration(key)
{
    public T Default => defaultValue;

    /// <summary>What a value must satisfy beyond its kind: null, or the problem ("is not between 1 and 1000").</summary>
    public Func<T, string?>? Rule { get; init; }

    public override bool IsSecret => typeof(T) == typeof(Secret);

    private protected override string? DefaultToml => defaultValue is null ? null : kind.ToToml(defaultValue);

    /// <summary>A value set in code (demo mode, tests) passes the same rules as one from the file.</summary>
    /// <exception cref="ArgumentException">It does not.</exception>
    public T Require(T value) =>
        Problem(value) is { } problem ? throw new ArgumentException($"{QualifiedKey}: {problem}", nameof(value)) : value;

    internal override Parsed<object?> Read(ValueSyntax? syntax, ValueContext context)
    {
        Parsed<T> parsed = kind.Parse(syntax, context);
        if (parsed.State == ParseState.Set && Problem(parsed.Value) is { } problem)
        {
            // Values of secrets are never shown, so they have no written form to quote.
            context.Fail(parsed.Written is null ? problem : $"{parsed.Written} {problem}");
            return Parsed<object?>.Invalid;
        }

        return new(parsed.State, parsed.Value, parsed.Written);
    }

    internal override object? BoxedDefault => defaultValue;

    internal override bool ValuesEqual(object? a, object? b) => a is null || b is null ? a == b : kind.Equal((T)a, (T)b);

    private string? Problem(T value) => value is null ? null : kind.Rule?.Invoke(value) ?? Rule?.Invoke(value);
}

internal enum ParseState
{
    Invalid,

    /// <summary>Written as an empty string, which means "not set", as in Telegraf.</summary>
    Unset,
    Set,
}

/// <summary>A value read from the file, and how it was written (for messages; null for secrets and lists).</summary>
internal readonly record struct Parsed<T>(ParseState State, T Value, string? Written)
{
    public static Parsed<T> Invalid => new(ParseState.Invalid, default!, null);

    public static Parsed<T> Unset => new(ParseState.Unset, default!, null);

    public static Parsed<T> Set(T value, string? written) => new(ParseState.Set, value, written);
}

/// <summary>Where a value being read came from, for its messages.</summary>
internal sealed class ValueContext(ConfigErrors errors, OptionDeclaration option, int line, string baseDirectory)
{
    public string BaseDirectory => baseDirectory;

    public void Fail(string problem) => errors.Add(line, option.QualifiedKey, problem);

    public void FailItem(int index, int itemLine, string problem) => errors.Add(itemLine, $"{option.QualifiedKey}[{index}]", problem);

    /// <summary>Reports "expected …, got …" (the type only: never the value).</summary>
    public Parsed<T> WrongType<T>(string expected, ValueSyntax? syntax)
    {
        Fail($"expected {expected}, got {TomlSyntax.Describe(syntax)}");
        return Parsed<T>.Invalid;
    }
}

/// <summary>How a TOML value becomes a <typeparamref name="T"/>, and back for the sample.</summary>
internal sealed class ValueKind<T>(Func<ValueSyntax?, ValueContext, Parsed<T>> parse, Func<T, string> toToml)
{
    public Func<ValueSyntax?, ValueContext, Parsed<T>> Parse => parse;

    public Func<T, string> ToToml => toToml;

    /// <summary>A rule every value of this kind satisfies (durations: between 1ms and 24h).</summary>
    public Func<T, string?>? Rule { get; init; }

    public Func<T, T, bool> Equal { get; init; } = EqualityComparer<T>.Default.Equals;
}

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
        catch (FileNotFoundException)
        {
            return "no such file";
        }
        catch (DirectoryNotFoundException)
        {
            return "no such directory";
        }
        catch (UnauthorizedAccessException)
        {
            return "permission denied";
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }
}
