namespace KafkaExecdInput.Worker;

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
        environment ??= new Dictionary<string, string>();
        var processPath = System.Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == AppHostName)
        {
            return new WorkerLaunch(processPath, [WorkerHost.Flag], environment);
        }

        var assemblyDirectory = AppContext.BaseDirectory;
        var appHost = Path.Combine(assemblyDirectory, AppHostName);
        if (File.Exists(appHost))
        {
            return new WorkerLaunch(appHost, [WorkerHost.Flag], environment);
        }
        var dll = Path.Combine(assemblyDirectory, AppHostName + ".dll");
        return new WorkerLaunch(processPath ?? "dotnet", [dll, WorkerHost.Flag], environment);
    }
}
