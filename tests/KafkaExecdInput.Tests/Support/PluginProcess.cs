using System.Diagnostics;
using System.Text;

namespace KafkaExecdInput.Tests.Support;

/// <summary>
/// The built plugin executable, started the way Telegraf starts it: stdin and stdout as pipes,
/// stderr collected line by line.
/// </summary>
internal sealed class PluginProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];
    private readonly Task _stderrReader;

    private PluginProcess(Process process)
    {
        _process = process;
        _stderrReader = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr)
                {
                    _stderr.Add(line);
                }
            }
        });
    }

    /// <summary>
    /// The build next to the tests, or the executable <c>KAFKA_EXECD_INPUT_EXECUTABLE</c> names: a published
    /// (native) one, to run a suite against what the packages ship (Faults/README.md).
    /// </summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("KAFKA_EXECD_INPUT_EXECUTABLE") is { Length: > 0 } published
            ? Path.GetFullPath(published)
            : Path.Combine(AppContext.BaseDirectory, "kafka-execd-input");

    public Stream Stdin => _process.StandardInput.BaseStream;

    public Stream Stdout => _process.StandardOutput.BaseStream;

    public int Id => _process.Id;

    public IReadOnlyList<string> StderrLines
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToList();
            }
        }
    }

    public static PluginProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        return new PluginProcess(Process.Start(startInfo)!);
    }

    /// <summary>Runs to completion with stdin closed at once; for --once, --help and error paths.</summary>
    public static async Task<PluginRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? limit = null)
    {
        await using var plugin = Start(arguments, environment);
        plugin._process.StandardInput.Close();
        var stdout = new MemoryStream();
        var copy = plugin.Stdout.CopyToAsync(stdout);
        var exitCode = await plugin.WaitForExitAsync(limit ?? TimeSpan.FromSeconds(60));
        await copy;
        return new PluginRun(exitCode, Encoding.UTF8.GetString(stdout.ToArray()), plugin.StderrLines);
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the plugin did not exit within {limit}; stderr:\n{string.Join('\n', StderrLines)}");
        }
        await _stderrReader;
        return _process.ExitCode;
    }

    public void CloseStdin() => _process.StandardInput.Close();

    public void SendSignal(int signal) => _ = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit(5000);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>What one finished run of the plugin produced.</summary>
internal sealed record PluginRun(int ExitCode, string Stdout, IReadOnlyList<string> Stderr)
{
    public string StderrText => string.Join('\n', Stderr);

    public override string ToString() => $"exit {ExitCode}\n--- stderr ---\n{StderrText}\n--- stdout ---\n{Stdout}";
}
