using System.Diagnostics;
using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaExecdInput.Benchmarks.StateFile;

/// <summary>
/// <c>statefile [L]</c>: the state file's size and write and read time for a history at L (50,000
/// partitions in 500 topics, 5,000 groups committing on 30 partitions each: 150,000 group-partitions),
/// built by real gathers through GatherHistory.Observe (100 of them, each also timing the lag in seconds and lag status computed from it, latest and committed offsets
/// moving), so every latest-offset ring holds 60 points and every commit window its 10. Gathers are
/// 10 s apart plus up to 50 ms of jitter and offsets move by varying steps, as on a real cluster, so
/// the file's size is not flattered by perfectly regular numbers. Also prints the history's live heap.
/// </summary>
internal static class StateFileRunner
{
    public const string Mode = "statefile";

    public static int Run(string[] args)
    {
        // L: 50,000 partitions (500 topics × 100), 5,000 groups each committing on 30 partitions = 150,000 group-partitions.
        var (topics, partitionsPerTopic, groups, commitsPerGroup) = args.FirstOrDefault() == "M" ? (100, 100, 1_000, 30) : (500, 100, 5_000, 30);
        var time = new ManualTime(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var random = new Random(7);
        var latest = new long[topics * partitionsPerTopic];
        Array.Fill(latest, 1_000_000);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var history = new GatherHistory(time);
        var observe = new Stopwatch();
        var estimate = new Stopwatch();
        var evaluate = new Stopwatch();
        var observeAllocated = 0L;
        for (var gather = 0; gather < 100; gather++)
        {
            time.Advance(TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerMillisecond * 50)));
            var watermarks = new WatermarkTable();
            for (var t = 0; t < topics; t++)
            {
                for (var p = 0; p < partitionsPerTopic; p++)
                {
                    var index = (t * partitionsPerTopic) + p;
                    latest[index] += random.Next(50, 250);
                    watermarks.SetLatest($"topic-{t}", p, latest[index]);
                }
            }
            var groupInfos = new List<ConsumerGroupInfo>(groups);
            for (var g = 0; g < groups; g++)
            {
                var commits = new CommittedOffset[commitsPerGroup];
                for (var c = 0; c < commitsPerGroup; c++)
                {
                    var index = ((g * commitsPerGroup) + c) % (topics * partitionsPerTopic);
                    commits[c] = new CommittedOffset($"topic-{index / partitionsPerTopic}", index % partitionsPerTopic, latest[index] - random.Next(0, 400));
                }
                groupInfos.Add(new ConsumerGroupInfo($"group-{g}", "Stable", 1, commits));
            }
            var snapshot = new ClusterSnapshot { Groups = groupInfos, Watermarks = watermarks };
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            observe.Start();
            history.Observe(snapshot);
            observe.Stop();
            observeAllocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            // The rest of the parent's history work in a gather (Collection/Collector.cs, after Observe).
            estimate.Start();
            _ = LagSecondsEstimator.Estimate(history, snapshot);
            estimate.Stop();
            evaluate.Start();
            _ = LagStatusEvaluator.Evaluate(history, snapshot, LagStatusSettings.Default.AllowedLag);
            evaluate.Stop();
        }
        var historyHeap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;

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
            Console.WriteLine($"partitions={history.Partitions.Count} group_partitions={history.GroupPartitions.Count} groups={groups} history_heap_mb={historyHeap / 1e6:0}");
            Console.WriteLine($"file_bytes={new FileInfo(path).Length} write_ms_median={Median(writes):0} read_ms_median={Median(reads):0} (5 each)");
            Console.WriteLine($"observe_ms_per_gather={observe.Elapsed.TotalMilliseconds / 100:0.0} observe_alloc_mb_per_gather={observeAllocated / 100 / 1e6:0.0} (GatherHistory.Observe alone, over the 100 gathers)");
            Console.WriteLine($"estimate_ms_per_gather={estimate.Elapsed.TotalMilliseconds / 100:0.0} evaluate_ms_per_gather={evaluate.Elapsed.TotalMilliseconds / 100:0.0} (LagSecondsEstimator.Estimate, LagStatusEvaluator.Evaluate)");
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
