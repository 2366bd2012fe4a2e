using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace KafkaExecdInput.UnitTests.Support;

/// <summary>
/// A private influxd 1.x on 127.0.0.1 with its own temporary meta/data/wal folders and free ports,
/// so tests can check that a real line-protocol consumer reads our output the way we meant it.
/// </summary>
internal sealed class InfluxDbServer : IDisposable
{
    public const string ExecutablePath = "/usr/bin/influxd";

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private InfluxDbServer(Process process, string directory, int httpPort)
    {
        _process = process;
        _directory = directory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public HttpClient Http { get; }

    /// <summary>What influxd printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<InfluxDbServer> StartAsync()
    {
        string directory = Directory.CreateTempSubdirectory("influxd-test-").FullName;
        int httpPort = FreeLoopbackPort();
        int rpcPort = FreeLoopbackPort();
        string configPath = Path.Combine(directory, "influxd.conf");
        await File.WriteAllTextAsync(configPath, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpcPort}"
            [meta]
              dir = "{directory}/meta"
              logging-enabled = false
            [data]
              dir = "{directory}/data"
              wal-dir = "{directory}/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [continuous_queries]
              enabled = false
            [http]
              bind-address = "127.0.0.1:{httpPort}"
              log-enabled = false
            [logging]
              level = "warn"
            """);

        var startInfo = new ProcessStartInfo(ExecutablePath, ["run", "-config", configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("influxd did not start");
        var server = new InfluxDbServer(process, directory, httpPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    public async Task CreateDatabaseAsync(string database)
    {
        using var response = await Http.PostAsync(
            "query", new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{database}\"")]));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Posts line protocol; returns the status code and body (an error text when not 204).</summary>
    public async Task<(HttpStatusCode Status, string Body)> WriteAsync(string database, ReadOnlyMemory<byte> lines)
    {
        using var content = new ReadOnlyMemoryContent(lines);
        using var response = await Http.PostAsync($"write?db={Uri.EscapeDataString(database)}&precision=ns", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Runs one InfluxQL query and returns the rows of its first series as column → value.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>> QueryAsync(string database, string query)
    {
        string url = $"query?db={Uri.EscapeDataString(database)}&epoch=ns&q={Uri.EscapeDataString(query)}";
        using JsonDocument document = JsonDocument.Parse(await Http.GetStringAsync(url));
        JsonElement result = document.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out JsonElement error))
        {
            throw new InvalidOperationException($"influxd query failed: {error}");
        }

        var rows = new List<IReadOnlyDictionary<string, JsonElement>>();
        if (!result.TryGetProperty("series", out JsonElement series))
        {
            return rows;
        }

        JsonElement first = series[0];
        string[] columns = [.. first.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!)];
        foreach (JsonElement values in first.GetProperty("values").EnumerateArray())
        {
            var row = new Dictionary<string, JsonElement>();
            int i = 0;
            foreach (JsonElement value in values.EnumerateArray())
            {
                row[columns[i++]] = value.Clone();
            }

            rows.Add(row);
        }

        return rows;
    }

    public void Dispose()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartupTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"influxd exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {Output}");
            }

            try
            {
                using var response = await Http.GetAsync("ping");
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"influxd did not answer /ping within {StartupTimeout}: {Output}");
    }
}

/// <summary>A fact that is skipped, saying why, where influxd is not installed.</summary>
public sealed class InfluxdFactAttribute : FactAttribute
{
    public InfluxdFactAttribute()
    {
        if (!InfluxDbServer.IsInstalled)
        {
            Skip = $"{InfluxDbServer.ExecutablePath} is missing: install Debian's influxdb package to run this test.";
        }
    }
}
