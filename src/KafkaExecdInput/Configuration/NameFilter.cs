using System.Text.RegularExpressions;

namespace KafkaExecdInput.Configuration;

/// <summary>What a <see cref="NameFilter"/> decided about one name.</summary>
internal enum FilterDecision
{
    Included,

    /// <summary>An exclude pattern matched (exclude wins over include).</summary>
    Excluded,

    /// <summary>Include patterns exist and none matched.</summary>
    NotIncluded,

    /// <summary>A pattern took longer than <see cref="NameFilter.MatchTimeout"/>; the name is left out.</summary>
    TimedOut,
}

/// <summary>
/// Decides which topics or groups are monitored, like kafka_exporter's filters: a name is included
/// when no exclude pattern matches it and either there are no include patterns or one matches.
/// Patterns are .NET regular expressions searched anywhere in the name (unanchored; write
/// <c>^…$</c> for a whole-name match).
/// </summary>
internal sealed class NameFilter : IEquatable<NameFilter>
{
    /// <summary>Bounds one pattern match, so a pathological pattern cannot stall a gather.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public static readonly NameFilter IncludeAll = new([], []);

    private readonly Regex[] _include;
    private readonly Regex[] _exclude;

    private NameFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        Include = [.. include];
        Exclude = [.. exclude];
        _include = [.. Include.Select(Compile)];
        _exclude = [.. Exclude.Select(Compile)];
    }

    /// <summary>The include patterns as written, so the filter can be rebuilt in another process.</summary>
    public IReadOnlyList<string> Include { get; }

    /// <summary>The exclude patterns as written.</summary>
    public IReadOnlyList<string> Exclude { get; }

    /// <summary>Compiles a filter from include and exclude patterns (from the config, or received from the parent process).</summary>
    /// <exception cref="ArgumentException">A pattern is not a valid regular expression.</exception>
    public static NameFilter FromPatterns(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        ArgumentNullException.ThrowIfNull(include);
        ArgumentNullException.ThrowIfNull(exclude);
        return include.Count == 0 && exclude.Count == 0 ? IncludeAll : new NameFilter(include, exclude);
    }

    public bool IncludesEverything => _include.Length == 0 && _exclude.Length == 0;

    /// <summary>A new regex with the options every filter pattern uses (throws when invalid).</summary>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Null for a valid pattern, else why it is not one (the rule of the filter options).</summary>
    public static string? PatternProblem(string pattern)
    {
        try
        {
            Compile(pattern);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"is not a valid regular expression: {ex.Message}";
        }
    }

    public bool IsIncluded(string name) => Evaluate(name) == FilterDecision.Included;

    public FilterDecision Evaluate(string name)
    {
        try
        {
            foreach (Regex exclude in _exclude)
            {
                if (exclude.IsMatch(name))
                {
                    return FilterDecision.Excluded;
                }
            }

            if (_include.Length == 0)
            {
                return FilterDecision.Included;
            }

            foreach (Regex include in _include)
            {
                if (include.IsMatch(name))
                {
                    return FilterDecision.Included;
                }
            }

            return FilterDecision.NotIncluded;
        }
        catch (RegexMatchTimeoutException)
        {
            return FilterDecision.TimedOut;
        }
    }

    public bool Equals(NameFilter? other) =>
        other is not null
        && Include.SequenceEqual(other.Include, StringComparer.Ordinal)
        && Exclude.SequenceEqual(other.Exclude, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as NameFilter);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (string pattern in Include)
        {
            hash.Add(pattern, StringComparer.Ordinal);
        }

        hash.Add('|');
        foreach (string pattern in Exclude)
        {
            hash.Add(pattern, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"include [{string.Join(", ", Include)}], exclude [{string.Join(", ", Exclude)}]";
}
