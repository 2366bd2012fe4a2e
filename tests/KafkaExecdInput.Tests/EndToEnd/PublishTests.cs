using System.Diagnostics;
using System.Runtime.Versioning;
using KafkaExecdInput.Tests.Support;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// README's install step: `dotnet publish` makes one native (NativeAOT) linux-x64 executable (with
/// librdkafka beside it) that runs from any folder, worker process included, as a user without a
/// writable home directory (like Telegraf's service user). The packages ship this build.
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("kafka-execd-input-publish-");

    [Fact]
    [Trait("Category", "Slow")]
    [SupportedOSPlatform("linux")]
    public async Task The_native_publish_runs_the_demo_from_another_folder()
    {
        var publishDir = Path.Combine(_scratch.FullName, "publish");
        var project = Path.Combine(RepositoryRoot(), "src", "KafkaExecdInput", "KafkaExecdInput.csproj");
        var publish = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", publishDir, "-nologo"], _scratch.FullName);
        Assert.True(publish.ExitCode == 0, publish.Output);
        Assert.Equal(
            ["alpine-librdkafka.so", "centos8-librdkafka.so", "kafka-execd-input", "librdkafka.so"],
            Directory.GetFiles(publishDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var installDir = Path.Combine(_scratch.FullName, "opt", "kafka-execd-input");
        Directory.CreateDirectory(installDir);
        foreach (var file in Directory.GetFiles(publishDir))
        {
            var installed = Path.Combine(installDir, Path.GetFileName(file));
            File.Copy(file, installed);
            File.SetUnixFileMode(installed, File.GetUnixFileMode(file));
        }
        var elsewhere = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "cwd")).FullName;

        var demo = await RunAsync(Path.Combine(installDir, "kafka-execd-input"), ["--demo", "--once"], elsewhere,
            new Dictionary<string, string> { ["HOME"] = "/nonexistent" });

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
