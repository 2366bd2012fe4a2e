using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Collection;

/// <summary>How to start the worker: this same executable in its hidden worker mode.</summary>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    private const string AppHostName = "kafka-execd-input";

    /// <summary>
    /// The running executable when it is the plugin (published single file or apphost); otherwise
    /// (tests, benchmarks, `dotnet kafka-execd-input.dll`) the apphost or dll next to this assembly.
    /// </summary>
    public static WorkerLaunch ForThisExecutable(IReadOnlyDictionary<string, string>? environment = null)
    {
        environment = WithMallocArenaLimit(environment ?? new Dictionary<string, string>());
        var processPath = System.Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == AppHostName)
        {
            return new WorkerLaunch(processPath, [WorkerCommand.Flag], environment);
        }

        var assemblyDirectory = AppContext.BaseDirectory;
        var appHost = Path.Combine(assemblyDirectory, AppHostName);
        if (File.Exists(appHost))
        {
            return new WorkerLaunch(appHost, [WorkerCommand.Flag], environment);
        }
        var dll = Path.Combine(assemblyDirectory, AppHostName + ".dll");
        return new WorkerLaunch(processPath ?? "dotnet", [dll, WorkerCommand.Flag], environment);
    }

    /// <summary>
    /// glibc gives each thread that mallocs its own arena; librdkafka's threads spread the worker's native
    /// memory over many of them. Two arenas took ~60 MB off the worker's RSS at 50,000 partitions
    /// (benchmark). A value the user set in the environment is kept.
    /// </summary>
    private static IReadOnlyDictionary<string, string> WithMallocArenaLimit(IReadOnlyDictionary<string, string> environment)
    {
        const string MallocArenaMax = "MALLOC_ARENA_MAX";
        if (environment.ContainsKey(MallocArenaMax) || System.Environment.GetEnvironmentVariable(MallocArenaMax) is not null)
        {
            return environment;
        }
        return new Dictionary<string, string>(environment, StringComparer.Ordinal) { [MallocArenaMax] = "2" };
    }
}
