using System.Diagnostics.CodeAnalysis;
using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// A password, token or key password, and everything about keeping one out of messages and logs.
/// As this type rather than a string, a value prints as "(redacted)" wherever it goes (records that
/// hold one print it that way too); only <see cref="Reveal"/> gives it, for the Kafka client.
/// </summary>
internal sealed class Secret(string value) : IEquatable<Secret>
{
    public const string Redacted = "(redacted)";

    // Tomlyn shows line breaks inside quoted source text as this symbol.
    private const string TomlynNewlineSymbol = "\u2424";

    private static readonly string[] SecretWords = ["password", "secret", "token", "key"];

    // librdkafka properties that carry credentials without saying so in their name.
    private static readonly string[] SecretProperties = ["sasl.oauthbearer.config", "sasl.oauthbearer.extensions"];

    public string Reveal() => value;

    public override string ToString() => Redacted;

    public bool Equals(Secret? other) => other is not null && string.Equals(value, other.Reveal(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as Secret);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(value);

    [return: NotNullIfNotNull(nameof(text))]
    public static Secret? FromString(string? text) => text is null ? null : new(text);

    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator Secret?(string? text) => FromString(text);

    /// <summary>
    /// True for a plugin option declared secret, and for any other key (a librdkafka property)
    /// whose name contains "password", "secret", "token" or "key", or that is known to carry
    /// credentials. Deliberately broad (it also hides paths such as ssl.key.location): a hidden path
    /// costs a look at the config file, a shown secret costs a rotation.
    /// </summary>
    public static bool IsSecretKey(string key) =>
        Options.Find(key)?.IsSecret == true
        || SecretProperties.Contains(key, StringComparer.OrdinalIgnoreCase)
        || SecretWords.Any(word => key.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The message for a TOML syntax error on <paramref name="line"/> without any secret value:
    /// Tomlyn's diagnostics quote source text (e.g. "The key … is already defined … with
    /// `sasl_password = "…"`"). Uses the syntax tree, which exists even when the file has errors.
    /// </summary>
    public static string TomlErrorMessage(DocumentSyntax document, int line, string diagnostic)
    {
        var secrets = SecretValues(document).ToList();
        if (secrets.Find(s => line >= s.FirstLine && line <= s.LastLine) is { Key: { } key })
        {
            return $"invalid TOML in the value of {key} (details withheld: the value is secret)";
        }

        // Longest first, so a secret that contains another is replaced whole.
        foreach (string text in secrets.SelectMany(s => s.Texts).Distinct(StringComparer.Ordinal).OrderByDescending(t => t.Length))
        {
            diagnostic = diagnostic.Replace(text, Redacted, StringComparison.Ordinal);
        }

        return $"invalid TOML: {diagnostic}";
    }

    private static IEnumerable<(int FirstLine, int LastLine, string Key, IEnumerable<string> Texts)> SecretValues(DocumentSyntax document) =>
        document.KeyValues.Concat(document.Tables.SelectMany(table => table.Items)).SelectMany(SecretValues);

    private static IEnumerable<(int FirstLine, int LastLine, string Key, IEnumerable<string> Texts)> SecretValues(KeyValueSyntax keyValue)
    {
        if (keyValue.Key is null)
        {
            yield break;
        }

        if (keyValue.Value is InlineTableSyntax inline)
        {
            foreach (KeyValueSyntax nested in inline.Items.Select(item => item.KeyValue).OfType<KeyValueSyntax>())
            {
                foreach (var secret in SecretValues(nested))
                {
                    yield return secret;
                }
            }

            yield break;
        }

        string key = TomlSyntax.KeyText(keyValue.Key);
        if (!IsSecretKey(TomlSyntax.KeySegments(keyValue.Key)[^1]) && !IsSecretKey(key))
        {
            yield break;
        }

        string?[] written = [(keyValue.Value as StringValueSyntax)?.Value, keyValue.Value?.ToString()?.Trim()];
        yield return (TomlSyntax.Line(keyValue), keyValue.Span.End.Line + 1, key, written.Where(text => !string.IsNullOrEmpty(text)).SelectMany(text => Forms(text!)));
    }

    /// <summary>The ways a secret's text can appear in a diagnostic: whole, with Tomlyn's newline symbol, or one line of it.</summary>
    private static IEnumerable<string> Forms(string text) =>
        [text, text.Replace("\n", TomlynNewlineSymbol, StringComparison.Ordinal), .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
