using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// Keeps secret values out of Tomlyn's own diagnostics, which quote source text (for example
/// "The key … is already defined … with `sasl_password = "…"`"). Built from the syntax tree, which
/// exists even when the file has errors.
/// </summary>
internal sealed class SecretRedactor
{
    // Tomlyn shows line breaks inside quoted source text as this symbol.
    private const string TomlynNewlineSymbol = "\u2424";

    private readonly List<(int First, int Last, string Key)> _secretLines = [];
    private readonly HashSet<string> _secretTexts = new(StringComparer.Ordinal);

    private SecretRedactor()
    {
    }

    public static SecretRedactor From(DocumentSyntax document)
    {
        var redactor = new SecretRedactor();
        foreach (KeyValueSyntax keyValue in document.KeyValues)
        {
            redactor.Visit(keyValue);
        }

        foreach (TableSyntaxBase table in document.Tables)
        {
            foreach (KeyValueSyntax keyValue in table.Items)
            {
                redactor.Visit(keyValue);
            }
        }

        return redactor;
    }

    /// <summary>The secret key whose value spans <paramref name="line"/>, if any.</summary>
    public string? SecretKeyAt(int line)
    {
        foreach ((int first, int last, string key) in _secretLines)
        {
            if (line >= first && line <= last)
            {
                return key;
            }
        }

        return null;
    }

    public string Redact(string message)
    {
        // Longest first, so a secret that contains another is replaced whole.
        foreach (string secret in _secretTexts.OrderByDescending(s => s.Length))
        {
            message = message.Replace(secret, Secret.Redacted, StringComparison.Ordinal);
        }

        return message;
    }

    private void Visit(KeyValueSyntax keyValue)
    {
        if (keyValue.Key is null)
        {
            return;
        }

        IReadOnlyList<string> segments = TomlSyntax.KeySegments(keyValue.Key);
        if (keyValue.Value is InlineTableSyntax inline)
        {
            foreach (InlineTableItemSyntax item in inline.Items)
            {
                if (item.KeyValue is { } nested)
                {
                    Visit(nested);
                }
            }

            return;
        }

        string key = TomlSyntax.KeyText(keyValue.Key);
        if (!ConfigKeys.IsSecret(segments[^1]) && !ConfigKeys.IsSecret(key))
        {
            return;
        }

        _secretLines.Add((TomlSyntax.Line(keyValue), keyValue.Span.End.Line + 1, key));
        if (keyValue.Value is StringValueSyntax { Value: { Length: > 0 } decoded })
        {
            AddText(decoded);
        }

        if (keyValue.Value?.ToString()?.Trim() is { Length: > 0 } source)
        {
            AddText(source);
        }
    }

    private void AddText(string text)
    {
        _secretTexts.Add(text);
        _secretTexts.Add(text.Replace("\n", TomlynNewlineSymbol, StringComparison.Ordinal));
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _secretTexts.Add(line);
        }
    }
}
