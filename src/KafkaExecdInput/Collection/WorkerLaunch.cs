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
        environment = WithServerGc(WithMallocArenaLimit(environment ?? new Dictionary<string, string>()));
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
    /// The worker runs the server GC, whose dynamic adaptation (DATAS, on by default since .NET 9) sizes
    /// the heap to the live data: a gather's garbage is short-lived and large, and the workstation GC let
    /// the worker's heap grow to its budget instead. At L, with the families of e15861f and 32 requests
    /// in flight, the worker's peak RSS was 223–233 MB with the workstation GC and 190–196 MB with this,
    /// gathers no slower (three alternating runs each, stop 20 note; 198 MB before the worker protocol
    /// of issue 8). The parent keeps the workstation GC. A value the user set in the environment is kept.
    /// </summary>
    private static IReadOnlyDictionary<string, string> WithServerGc(IReadOnlyDictionary<string, string> environment)
    {
        const string ServerGc = "DOTNET_gcServer";
        if (environment.ContainsKey(ServerGc) || System.Environment.GetEnvironmentVariable(ServerGc) is not null)
        {
            return environment;
        }
        return new Dictionary<string, string>(environment, StringComparer.Ordinal) { [ServerGc] = "1" };
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
