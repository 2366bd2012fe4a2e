using System.Text;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// Replaces <c>$NAME</c> and <c>${NAME}</c> in the configuration text with environment variables
/// before the TOML is parsed, as Telegraf's execd shim does for external plugins.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A name is a letter or underscore followed by letters, digits or underscores.</item>
/// <item><c>$$</c> is a literal <c>$</c>. A <c>$</c> not followed by a name, <c>{</c> or <c>$</c>
/// is kept as it is (so "pa$5word" needs no escaping).</item>
/// <item>An undefined variable is an error naming it and its line — unlike Telegraf, which silently
/// substitutes nothing and leaves the user to puzzle over an empty password. A variable that is
/// defined but empty is fine.</item>
/// <item>Values are escaped for TOML basic strings (backslash, double quote, line breaks, tab), as
/// Telegraf escapes backslash and quote, so a password holding <c>"</c> cannot break the file. Use
/// variables inside double-quoted strings (or as bare numbers and booleans).</item>
/// <item>Whole-line comments are left alone, so a commented example such as
/// <c># sasl_password = "$KAFKA_PASSWORD"</c> does not require the variable.</item>
/// </list>
/// </remarks>
internal static class EnvironmentExpander
{
    /// <param name="text">The file's text.</param>
    /// <param name="getEnv">Looks up a variable; null means undefined.</param>
    /// <param name="reportError">Receives the 1-based line and the problem; expansion goes on.</param>
    public static string Expand(string text, Func<string, string?> getEnv, Action<int, string> reportError)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        int line = 1;
        bool atLineStart = true;
        bool inComment = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                atLineStart = true;
                inComment = false;
                result.Append(c);
                continue;
            }

            if (atLineStart && !char.IsWhiteSpace(c))
            {
                atLineStart = false;
                inComment = c == '#';
            }

            if (c != '$' || inComment)
            {
                result.Append(c);
                continue;
            }

            i = ExpandReference(text, i, line, getEnv, reportError, result);
        }

        return result.ToString();
    }

    /// <summary>Expands the reference starting at the '$' at <paramref name="dollar"/>; returns the index of its last character.</summary>
    private static int ExpandReference(
        string text, int dollar, int line, Func<string, string?> getEnv, Action<int, string> reportError, StringBuilder result)
    {
        int next = dollar + 1;
        if (next < text.Length && text[next] == '$')
        {
            result.Append('$');
            return next;
        }

        if (next < text.Length && text[next] == '{')
        {
            int close = text.IndexOf('}', next + 1);
            int lineEnd = text.IndexOf('\n', next + 1);
            string? name = close < 0 || (lineEnd >= 0 && close > lineEnd) ? null : text[(next + 1)..close];
            if (name is null || !IsName(name))
            {
                reportError(line, "malformed environment variable reference \"${…}\" (write ${NAME}, or $$ for a literal $)");
                result.Append('$');
                return dollar;
            }

            AppendValue(name, line, getEnv, reportError, result);
            return close;
        }

        int end = next;
        if (end < text.Length && IsNameStart(text[end]))
        {
            while (end < text.Length && IsNamePart(text[end]))
            {
                end++;
            }

            AppendValue(text[next..end], line, getEnv, reportError, result);
            return end - 1;
        }

        result.Append('$');
        return dollar;
    }

    private static void AppendValue(string name, int line, Func<string, string?> getEnv, Action<int, string> reportError, StringBuilder result)
    {
        string? value = getEnv(name);
        if (value is null)
        {
            reportError(line, $"environment variable {name} is not set (write $$ for a literal $)");
            return;
        }

        foreach (char c in value)
        {
            switch (c)
            {
                case '\\':
                    result.Append("\\\\");
                    break;
                case '"':
                    result.Append("\\\"");
                    break;
                case '\n':
                    result.Append("\\n");
                    break;
                case '\r':
                    result.Append("\\r");
                    break;
                case '\t':
                    result.Append("\\t");
                    break;
                default:
                    result.Append(c);
                    break;
            }
        }
    }

    private static bool IsName(string name) => name.Length > 0 && IsNameStart(name[0]) && name.All(IsNamePart);

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
