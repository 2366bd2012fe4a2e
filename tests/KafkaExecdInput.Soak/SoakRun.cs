using System.Diagnostics;
using System.Globalization;
using System.Text;
using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;
using KafkaTestCluster;

namespace KafkaExecdInput.Soak;

/// <summary>What a soak run does: cluster size, number of gathers, how often a fault is injected.</summary>
internal sealed record SoakOptions
{
    public int Gathers { get; init; } = 1000;

    public int Brokers { get; init; } = 3;

    public int Topics { get; init; } = 1000;

    public int PartitionsPerTopic { get; init; } = 10;

    public int Groups { get; init; } = 1000;

    /// <summary>Share of gathers that get a fault injected just before them (0..1).</summary>
    public double FaultRate { get; init; } = 0.2;

    public int Seed { get; init; } = 1;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Parent and worker are sampled every this many gathers (and after the first and the last).</summary>
    public int SampleEvery { get; init; } = 10;

    /// <summary>The plugin executable; by default the one built next to this assembly.</summary>
    public string ExecutablePath { get; init; } = Path.Combine(AppContext.BaseDirectory, "kafka-execd-input");

    /// <summary>Progress lines, e.g. Console.WriteLine or a test's output.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>The faults a soak gather may get; each is undone after its gather.</summary>
internal enum SoakFault
{
    None,
    BrokerDown,
    BrokerSlowerThanRequestTimeout,
    BrokerNeverAnswers,
    OffsetFetchNotCoordinator,
    OffsetFetchCoordinatorLoading,
    DescribeGroupsCoordinatorNotAvailable,
    ListGroupsErrorOnOneBroker,
    ListOffsetsLeaderNotAvailable,
    CoordinatorsMove,
}

internal sealed record GatherOutcome(int Index, SoakFault Fault, bool Partial, long Errors, long Lines, long WorkerRestarts, double Seconds);

internal sealed record SoakSample(int Gather, string Role, int Pid, ProcessSample Sample);

/// <summary>
/// Runs the built plugin as Telegraf does (a newline per gather, stdout read as a stream) against an
/// in-process test cluster for many gathers, injecting a random fault before some of them, and
/// records what each gather produced and how the parent and worker processes grow.
/// </summary>
internal static class SoakRun
{
    public static async Task<SoakReport> RunAsync(SoakOptions options, CancellationToken cancellationToken = default)
    {
        var random = new Random(options.Seed);
        var violations = new List<string>();
        var outcomes = new List<GatherOutcome>(options.Gathers);
        var samples = new List<SoakSample>();
        var workerPids = new HashSet<int>();

        await using var cluster = TestCluster.Start(new ClusterOptions { Brokers = options.Brokers });
        var setUp = Stopwatch.StartNew();
        var groups = Populate(cluster, options);
        options.Progress?.Invoke($"cluster: {options.Topics} topics x {options.PartitionsPerTopic} partitions, {options.Groups} groups, {options.Brokers} brokers, set up in {setUp.Elapsed.TotalSeconds:0.0}s");

        var directory = Directory.CreateTempSubdirectory("kafka-execd-input-soak-");
        try
        {
            var configPath = Path.Combine(directory.FullName, "plugin.conf");
            await File.WriteAllTextAsync(configPath, string.Create(CultureInfo.InvariantCulture, $"""
                [[inputs.kafka]]
                  brokers = [{string.Join(", ", cluster.BootstrapServers.Split(',').Select(b => $"\"{b}\""))}]
                  timeout = "{options.Timeout.TotalMilliseconds}ms"
                  request_timeout = "{options.RequestTimeout.TotalMilliseconds}ms"
                """), cancellationToken);

            await using var plugin = SoakPlugin.Start(options.ExecutablePath, configPath);
            var blockLimit = options.Timeout + options.RequestTimeout + TimeSpan.FromSeconds(30);
            SoakFault previousFault = SoakFault.None;
            for (var index = 1; index <= options.Gathers && violations.Count < 20; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Churn(cluster, options, random);
                var fault = random.NextDouble() < options.FaultRate
                    ? (SoakFault)random.Next(1, Enum.GetValues<SoakFault>().Length)
                    : SoakFault.None;
                Inject(cluster, groups, fault, random);

                var started = Stopwatch.GetTimestamp();
                string? block;
                try
                {
                    block = await plugin.GatherAsync(blockLimit, cancellationToken);
                }
                catch (TimeoutException e)
                {
                    violations.Add($"gather {index} ({fault}): {e.Message}");
                    break;
                }
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (block is null)
                {
                    violations.Add($"gather {index} ({fault}): stdout ended, the plugin exited with {plugin.ExitCodeOrNull}");
                    break;
                }
                Undo(cluster, fault);

                IReadOnlyList<ParsedLine> lines;
                try
                {
                    lines = StrictLineParser.ParseAll(Encoding.UTF8.GetBytes(block));
                }
                catch (FormatException e)
                {
                    violations.Add($"gather {index} ({fault}): invalid line protocol: {e.Message}");
                    continue;
                }
                var collector = lines.Single(l => l.Measurement == "kafka_collector");
                var outcome = new GatherOutcome(index, fault, (long)collector.Field("partial")! == 1, (long)collector.Field("errors")!,
                    (long)collector.Field("lines")!, (long)collector.Field("worker_restarts")!, seconds);
                outcomes.Add(outcome);
                if (outcome.Lines != lines.Count - 1)
                {
                    violations.Add($"gather {index}: kafka_collector says {outcome.Lines} lines, the block has {lines.Count - 1}");
                }
                if (outcome.Partial && fault == SoakFault.None && previousFault == SoakFault.None)
                {
                    violations.Add($"gather {index}: partial with no fault in it or the gather before ({outcome.Errors} errors, {seconds:0.00}s); last E! so far: {plugin.LastError()}");
                }
                previousFault = fault;

                foreach (var pid in ProcStats.Children(plugin.Id))
                {
                    workerPids.Add(pid);
                }
                if (index == 1 || index % options.SampleEvery == 0 || index == options.Gathers)
                {
                    Sample(plugin.Id, index, samples);
                }
                if (index % Math.Max(1, options.Gathers / 20) == 0)
                {
                    options.Progress?.Invoke($"gather {index}: {outcomes.Count(o => !o.Partial)} complete, {outcomes.Count(o => o.Partial)} partial, last {seconds:0.00}s, worker restarts {outcome.WorkerRestarts}");
                }
            }

            var (exitCode, stderr) = await plugin.StopAsync();
            if (exitCode != 0)
            {
                violations.Add($"the plugin exited with {exitCode} when stdin closed");
            }
            violations.AddRange(stderr.Where(l => !(l.Length > 3 && "EWIDT".Contains(l[0], StringComparison.Ordinal) && l[1] == '!' && l[2] == ' '))
                .Take(5).Select(l => $"stderr line without a Telegraf prefix: {l}"));
            var summaries = stderr.Count(l => l.StartsWith("E! collection incomplete", StringComparison.Ordinal));
            if (summaries != outcomes.Count(o => o.Partial))
            {
                violations.Add($"{summaries} E! summaries for {outcomes.Count(o => o.Partial)} partial gathers");
            }
            return new SoakReport(options, outcomes, samples, violations, stderr, workerPids.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Topics with watermarks spread over the brokers; groups with a member and commits on one topic each.</summary>
    private static List<string> Populate(TestCluster cluster, SoakOptions options)
    {
        for (var t = 0; t < options.Topics; t++)
        {
            var topic = $"topic-{t:D4}";
            cluster.CreateTopic(topic, options.PartitionsPerTopic);
            for (var p = 0; p < options.PartitionsPerTopic; p++)
            {
                cluster.SetWatermarks(topic, p, p, 10_000 + p);
            }
        }
        var groups = new List<string>(options.Groups);
        for (var g = 0; g < options.Groups; g++)
        {
            var group = $"group-{g:D4}";
            var topic = $"topic-{g % options.Topics:D4}";
            cluster.SetGroup(g % 3 == 0
                ? new GroupSpec(group, GroupState.Empty, [])
                : new GroupSpec(group, GroupState.Stable, [new MemberSpec($"{group}-m", "app", "/10.0.0.1", [new(topic, 0)])]));
            for (var p = 0; p < options.PartitionsPerTopic; p++)
            {
                cluster.CommitOffset(group, topic, p, 9_000 + p);
            }
            groups.Add(group);
        }
        return groups;
    }

    /// <summary>Producers and consumers move on between gathers.</summary>
    private static void Churn(TestCluster cluster, SoakOptions options, Random random)
    {
        for (var i = 0; i < 20; i++)
        {
            var t = random.Next(options.Topics);
            var p = random.Next(options.PartitionsPerTopic);
            cluster.AdvanceHighWatermark($"topic-{t:D4}", p, random.Next(1, 100));
        }
        for (var i = 0; i < 10; i++)
        {
            var g = random.Next(options.Groups);
            var topic = $"topic-{g % options.Topics:D4}";
            var p = random.Next(options.PartitionsPerTopic);
            var (_, high) = cluster.GetWatermarks(topic, p);
            cluster.CommitOffset($"group-{g:D4}", topic, p, high - random.Next(0, 50));
        }
    }

    private static void Inject(TestCluster cluster, List<string> groups, SoakFault fault, Random random)
    {
        var broker = cluster.BrokerIds[random.Next(cluster.BrokerIds.Count)];
        switch (fault)
        {
            case SoakFault.BrokerDown:
                cluster.Faults.BrokerDown(broker);
                break;
            case SoakFault.BrokerSlowerThanRequestTimeout:
                cluster.Faults.AddLatency(TimeSpan.FromSeconds(3), brokerId: broker);
                break;
            case SoakFault.BrokerNeverAnswers:
                foreach (var api in Enum.GetValues<ApiKey>())
                {
                    cluster.Faults.NeverAnswer(api, broker);
                }
                break;
            case SoakFault.OffsetFetchNotCoordinator:
                cluster.Faults.FailNext(ApiKey.OffsetFetch, ErrorCodes.NotCoordinator, count: 1);
                break;
            case SoakFault.OffsetFetchCoordinatorLoading:
                cluster.Faults.FailNext(ApiKey.OffsetFetch, ErrorCodes.CoordinatorLoadInProgress, count: 5);
                break;
            case SoakFault.DescribeGroupsCoordinatorNotAvailable:
                cluster.Faults.FailNext(ApiKey.DescribeGroups, ErrorCodes.CoordinatorNotAvailable, count: 1, brokerId: broker);
                break;
            case SoakFault.ListGroupsErrorOnOneBroker:
                cluster.Faults.FailNext(ApiKey.ListGroups, ErrorCodes.CoordinatorNotAvailable, count: 1, brokerId: broker);
                break;
            case SoakFault.ListOffsetsLeaderNotAvailable:
                cluster.Faults.FailNext(ApiKey.ListOffsets, ErrorCodes.LeaderNotAvailable, count: 2, brokerId: broker);
                break;
            case SoakFault.CoordinatorsMove:
                foreach (var group in groups.Where(_ => random.Next(10) == 0))
                {
                    cluster.Faults.MoveCoordinator(group, cluster.BrokerIds[random.Next(cluster.BrokerIds.Count)]);
                }
                break;
        }
    }

    private static void Undo(TestCluster cluster, SoakFault fault)
    {
        cluster.Faults.Clear();
        if (fault == SoakFault.BrokerDown)
        {
            foreach (var broker in cluster.BrokerIds)
            {
                cluster.Faults.BrokerUp(broker);
            }
        }
    }

    private static void Sample(int parentPid, int gather, List<SoakSample> samples)
    {
        if (ProcStats.Sample(parentPid) is { } parent)
        {
            samples.Add(new SoakSample(gather, "parent", parentPid, parent));
        }
        foreach (var pid in ProcStats.Children(parentPid))
        {
            if (ProcStats.Sample(pid) is { } worker)
            {
                samples.Add(new SoakSample(gather, "worker", pid, worker));
            }
        }
    }
}

/// <summary>The plugin process as Telegraf runs it: requests on stdin, blocks on stdout, log lines on stderr.</summary>
internal sealed class SoakPlugin : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamReader _stdout;
    private readonly List<string> _stderr = [];
    private readonly Task _stderrReader;

    private SoakPlugin(Process process)
    {
        _process = process;
        _stdout = new StreamReader(process.StandardOutput.BaseStream, new UTF8Encoding(false, throwOnInvalidBytes: true));
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

    public int Id => _process.Id;

    /// <summary>The latest E! line on stderr so far (it may trail its gather's block a little).</summary>
    public string? LastError()
    {
        lock (_stderr)
        {
            return _stderr.LastOrDefault(l => l.StartsWith("E! ", StringComparison.Ordinal));
        }
    }

    public string ExitCodeOrNull => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "(still running)";

    public static SoakPlugin Start(string executable, string configPath)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("--config");
        startInfo.ArgumentList.Add(configPath);
        return new SoakPlugin(Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {executable}"));
    }

    /// <summary>Asks for one gather and returns its block, or null when stdout ended.</summary>
    public async Task<string?> GatherAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        await _process.StandardInput.BaseStream.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await _process.StandardInput.BaseStream.FlushAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var block = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await _stdout.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no complete block within {limit.TotalSeconds:0}s");
            }
            if (line is null)
            {
                return null;
            }
            block.Append(line).Append('\n');
            if (line.StartsWith("kafka_collector ", StringComparison.Ordinal))
            {
                return block.ToString();
            }
        }
    }

    /// <summary>Closes stdin as Telegraf does; returns the exit code and all of stderr.</summary>
    public async Task<(int ExitCode, IReadOnlyList<string> Stderr)> StopAsync()
    {
        _process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _stdout.ReadToEndAsync(limit.Token);
        await _process.WaitForExitAsync(limit.Token);
        await _stderrReader;
        lock (_stderr)
        {
            return (_process.ExitCode, _stderr.ToList());
        }
    }

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
