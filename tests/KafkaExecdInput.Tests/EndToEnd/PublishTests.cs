using System.Diagnostics;
using System.Runtime.Versioning;
using KafkaExecdInput.Tests.Support;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// README's install step: `dotnet publish` makes one self-contained linux-x64 file that runs on
/// its own from any folder, worker process included.
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("kafka-execd-input-publish-");

    [Fact]
    [Trait("Category", "Slow")]
    [SupportedOSPlatform("linux")]
    public async Task The_single_file_publish_runs_the_demo_from_another_folder()
    {
        var publishDir = Path.Combine(_scratch.FullName, "publish");
        var project = Path.Combine(RepositoryRoot(), "src", "KafkaExecdInput", "KafkaExecdInput.csproj");
        var publish = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", publishDir, "-nologo"], _scratch.FullName);
        Assert.True(publish.ExitCode == 0, publish.Output);
        var files = Directory.GetFiles(publishDir).Select(Path.GetFileName).Where(f => !f!.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
        Assert.Equal(["kafka-execd-input"], files);

        var installDir = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "elsewhere")).FullName;
        var installed = Path.Combine(installDir, "kafka-execd-input");
        File.Copy(Path.Combine(publishDir, "kafka-execd-input"), installed);
        File.SetUnixFileMode(installed, File.GetUnixFileMode(Path.Combine(publishDir, "kafka-execd-input")));

        var demo = await RunAsync(installed, ["--demo", "--once"], installDir,
            new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(_scratch.FullName, "extract") });

        Assert.True(demo.ExitCode == 0, demo.Output);
        var lines = Blocks.Parse(demo.Stdout);
        Assert.Contains(lines, l => l.Measurement == "kafka_consumergroup" && l.Field("lag") is long);
        Assert.Equal(0, Blocks.Collector(lines).Int("partial"));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KafkaExecdInput.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("KafkaExecdInput.sln not found above the test folder");
    }

    private static async Task<(int ExitCode, string Stdout, string Output)> RunAsync(
        string fileName, string[] arguments, string workingDirectory, Dictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? [])
        {
            startInfo.Environment[name] = value;
        }
        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
