using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// Loads the plugin's own TOML file (Telegraf's external-plugin convention: one
/// <c>[[inputs.kafka]]</c> table, optionally followed by <c>[inputs.kafka.librdkafka]</c>).
/// </summary>
/// <remarks>
/// Steps: read the file, expand environment variables (<see cref="EnvironmentExpander"/>), parse
/// with Tomlyn into a syntax tree (which keeps line numbers), find the tables, read and check the
/// values. Every problem found is reported, each as its own message naming file, line and key;
/// TOML syntax errors are reported alone, since whatever follows them is guesswork. Relative file
/// paths in the options are taken relative to the config file's folder.
/// </remarks>
internal static class ConfigLoader
{
    /// <exception cref="ConfigException">The file is missing, unreadable or invalid.</exception>
    public static PluginConfig Load(string path, Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(getEnv);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigException([$"{path}: cannot read the configuration file: {ex.Message}"]);
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Parse(text, path, getEnv, directory);
    }

    /// <summary>Loads configuration text; <paramref name="sourceName"/> names it in messages.</summary>
    /// <exception cref="ConfigException">The text is invalid.</exception>
    public static PluginConfig Parse(string text, string sourceName, Func<string, string?> getEnv, string baseDirectory)
    {
        var errors = new ConfigErrors(sourceName);
        string expanded = EnvironmentExpander.Expand(text, getEnv, (line, problem) => errors.Add(line, null, problem));

        DocumentSyntax document = SyntaxParser.Parse(expanded, sourceName, validate: true);
        if (document.HasErrors)
        {
            ReportTomlErrors(document, errors);
            errors.ThrowIfAny();
        }

        (TableArraySyntax? table, TableSyntax? librdkafkaTable) = FindTables(document, errors);
        if (table is null)
        {
            // FindTables has reported why (no table, or a broken one).
            throw new ConfigException([.. errors.Messages]);
        }

        OptionValues values = OptionValues.Read(table, librdkafkaTable, errors, baseDirectory);
        PluginConfig? config = new PluginConfigAssembler(errors).Assemble(values);
        errors.ThrowIfAny();
        return config ?? throw new ConfigException([$"{sourceName}: invalid configuration"]);
    }

    /// <summary>
    /// Reports the first syntax error only: the parser's later diagnostics for the same mistake (an
    /// unterminated string is also an unexpected end of file) are guesswork that would turn one
    /// mistake into several messages.
    /// </summary>
    private static void ReportTomlErrors(DocumentSyntax document, ConfigErrors errors)
    {
        DiagnosticMessage? first = document.Diagnostics
            .Where(d => d.Kind == DiagnosticMessageKind.Error)
            .OrderBy(d => d.Span.Start.Offset)
            .FirstOrDefault();
        if (first is not null)
        {
            int line = first.Span.Start.Line + 1;
            errors.Add(line, null, Secret.TomlErrorMessage(document, line, first.Message));
        }
    }

    private static (TableArraySyntax? Table, TableSyntax? Librdkafka) FindTables(DocumentSyntax document, ConfigErrors errors)
    {
        foreach (KeyValueSyntax keyValue in document.KeyValues)
        {
            string key = keyValue.Key is null ? "" : TomlSyntax.KeyText(keyValue.Key);
            errors.Add(TomlSyntax.Line(keyValue), key,
                $"unknown top-level key: options belong inside the [[{Options.Table}]] table");
        }

        TableArraySyntax? table = null;
        TableSyntax? librdkafka = null;
        foreach (TableSyntaxBase candidate in document.Tables)
        {
            string name = candidate.Name is null ? "" : TomlSyntax.KeyText(candidate.Name);
            int line = TomlSyntax.Line(candidate);
            switch (candidate)
            {
                case TableArraySyntax array when name == Options.Table:
                    if (table is null)
                    {
                        table = array;
                    }
                    else
                    {
                        errors.Add(line, null,
                            $"a second [[{Options.Table}]] table: one plugin process monitors one cluster (run one execd input per cluster)");
                    }

                    break;
                case TableSyntax sub when name == Options.LibrdkafkaTable:
                    librdkafka = sub;
                    break;
                case TableSyntax when name == Options.Table:
                    errors.Add(line, null, $"write [[{Options.Table}]] with double brackets, as Telegraf does");
                    break;
                default:
                    errors.Add(line, null,
                        $"unknown table [{name}]: this file holds one [[{Options.Table}]] table and optionally [{Options.LibrdkafkaTable}]");
                    break;
            }
        }

        if (table is null && !errors.Any)
        {
            errors.Add(null, null, $"no [[{Options.Table}]] table found");
        }

        return (table, librdkafka);
    }
}
