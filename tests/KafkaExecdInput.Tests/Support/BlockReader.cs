using System.Text;

namespace KafkaExecdInput.Tests.Support;

/// <summary>
/// Reads the plugin's stdout as Telegraf's influx stream parser does: bytes arrive as they come,
/// a line counts once its '\n' has arrived, and a gather's block ends with its kafka_collector line.
/// </summary>
internal sealed class BlockReader(PluginProcess plugin)
{
    private readonly StreamReader _reader = new(plugin.Stdout, new UTF8Encoding(false, throwOnInvalidBytes: true));

    /// <summary>The next whole block, or null when stdout ended first.</summary>
    public async Task<string?> NextBlockAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var block = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"no complete block within {limit}; so far:\n{block}\n--- stderr ---\n{string.Join('\n', plugin.StderrLines)}");
            }
            if (line is null)
            {
                return block.Length == 0 ? null : throw new Xunit.Sdk.XunitException($"stdout ended inside a block:\n{block}");
            }
            block.Append(line).Append('\n');
            if (line.StartsWith("kafka_collector ", StringComparison.Ordinal))
            {
                return block.ToString();
            }
        }
    }
}
