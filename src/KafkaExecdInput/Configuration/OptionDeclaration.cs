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
