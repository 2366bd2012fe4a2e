using System.Diagnostics;
using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaExecdInput.Benchmarks.StateFile;

/// <summary>
/// <c>statefile [L]</c>: the state file's size and write and read time for a history at L (50,000
/// partitions in 500 topics, 5,000 groups committing on 30 partitions each: 150,000 group-partitions),
/// built by real gathers through GatherHistory.Observe (100 of them, latest and committed offsets
/// moving), so every latest-offset ring holds 60 points and every commit window its 10.
/// </summary>
internal static class StateFileRunner
{
    public const string Mode = "statefile";

    public static int Run(string[] args)
    {
        // L: 50,000 partitions (500 topics × 100), 5,000 groups each committing on 30 partitions = 150,000 group-partitions.
        var (topics, partitionsPerTopic, groups, commitsPerGroup) = args.FirstOrDefault() == "M" ? (100, 100, 1_000, 30) : (500, 100, 5_000, 30);
        var time = new ManualTime(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var history = new GatherHistory(time);
        var observe = Stopwatch.StartNew();
        for (var gather = 0; gather < 100; gather++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            var watermarks = new WatermarkTable();
            for (var t = 0; t < topics; t++)
            {
                for (var p = 0; p < partitionsPerTopic; p++)
                {
                    watermarks.SetLatest($"topic-{t}", p, 1_000_000 + (gather * 137) + p);
                }
            }
            var groupInfos = new List<ConsumerGroupInfo>(groups);
            for (var g = 0; g < groups; g++)
            {
                var commits = new CommittedOffset[commitsPerGroup];
                for (var c = 0; c < commitsPerGroup; c++)
                {
                    var index = ((g * commitsPerGroup) + c) % (topics * partitionsPerTopic);
                    commits[c] = new CommittedOffset($"topic-{index / partitionsPerTopic}", index % partitionsPerTopic, 1_000_000 + (gather * 130));
                }
                groupInfos.Add(new ConsumerGroupInfo($"group-{g}", "Stable", 1, commits));
            }
            history.Observe(new ClusterSnapshot { Groups = groupInfos, Watermarks = watermarks });
        }
        observe.Stop();

        var path = Path.Combine(Path.GetTempPath(), $"kafka-execd-statefile-bench-{Environment.ProcessId}.state");
        var file = new HistoryStateFile(path, NullLogger.Instance);
        try
        {
            var writes = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var write = Stopwatch.StartNew();
                if (!file.Save(history))
                {
                    throw new InvalidOperationException("the state file could not be written");
                }
                writes.Add(write.Elapsed.TotalMilliseconds);
            }
            var reads = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var read = Stopwatch.StartNew();
                _ = file.Load(time, GatherHistory.DefaultRetention, LagStatusSettings.Default) ?? throw new InvalidOperationException("not read back");
                reads.Add(read.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"partitions={history.Partitions.Count} group_partitions={history.GroupPartitions.Count} groups={groups}");
            Console.WriteLine($"file_bytes={new FileInfo(path).Length} write_ms_median={Median(writes):0} read_ms_median={Median(reads):0} (5 each; 100 gathers observed in {observe.Elapsed.TotalSeconds:0.0}s)");
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
