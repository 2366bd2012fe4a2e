using System.Diagnostics;
using System.Text.Json;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>
/// This benchmark executable started again in another mode (the test cluster, the baseline), talking one line
/// per message over stdin/stdout; its stderr is passed through. Keeping those in their own processes keeps their
/// CPU time, allocations and memory out of the plugin's numbers.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static ChildProcess Start(params string[] arguments)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var startInfo = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return new ChildProcess(Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {path}"));
    }

    /// <summary>
    /// Runs this executable with the arguments <paramref name="argumentsFor"/> makes from a result file's path,
    /// waits for it, and reads the JSON result it wrote there (the file is deleted afterwards).
    /// </summary>
    public static async Task<T> RunForResultAsync<T>(string label, Func<string, string[]> argumentsFor)
    {
        var resultPath = Path.Combine(Path.GetTempPath(), $"kafka-execd-input-{label}-{Environment.ProcessId}.json");
        try
        {
            using (var child = Start(argumentsFor(resultPath)))
            {
                child.WaitForExit(TimeSpan.FromHours(2));
            }

            return JsonSerializer.Deserialize<T>(await File.ReadAllTextAsync(resultPath).ConfigureAwait(false), BenchJson.Options)
                ?? throw new InvalidOperationException($"no result for {label}");
        }
        catch (FileNotFoundException)
        {
            throw new InvalidOperationException($"the process measuring {label} wrote no result (see its log above)");
        }
        finally
        {
            File.Delete(resultPath);
        }
    }

    public string ReadLine() =>
        _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"child process {Id} ended ({Exit()})");

    /// <summary>Sends one command and returns the one-line answer.</summary>
    public string Ask(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        return ReadLine();
    }

    public void WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        WaitForExit(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private string Exit() => _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";
}
