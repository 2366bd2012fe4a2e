using KafkaExecdInput.Soak;
using KafkaExecdInput.Tests.Support;
using Xunit.Abstractions;

namespace KafkaExecdInput.Tests.Faults;

/// <summary>
/// The soak (tests/KafkaExecdInput.Soak) in CI's time budget: a few dozen gathers with random faults
/// on a small cluster. Every gather must be valid and accounted for, every fault-free gather after a
/// fault-free one complete, and the parent must not keep descriptors or threads of the workers it replaced.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Thirty_gathers_with_random_faults_stay_valid_complete_when_healthy_and_leak_nothing()
    {
        var report = await SoakRun.RunAsync(new SoakOptions
        {
            ExecutablePath = PluginProcess.ExecutablePath,
            Gathers = 30,
            Topics = 40,
            PartitionsPerTopic = 4,
            Groups = 60,
            FaultRate = 0.35,
            Seed = 7,
            Timeout = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(1),
            SampleEvery = 5,
            Progress = output.WriteLine,
        });

        output.WriteLine(report.Format());
        Assert.True(report.Violations.Count == 0, report.Format());
        Assert.Equal(30, report.Gathers.Count);
        Assert.Contains(report.Gathers, g => g.Fault != SoakFault.None);
        Assert.Contains(report.Gathers, g => g.Partial);

        // Workers were replaced (crashes and retirements); the parent keeps none of their pipes or threads.
        Assert.True(report.WorkerProcessesSeen >= 3, $"only {report.WorkerProcessesSeen} worker processes: the leak check would prove little");
        var parent = report.Samples.Where(s => s.Role == "parent").ToList();
        Assert.True(parent[^1].Sample.FileDescriptors - parent[0].Sample.FileDescriptors <= 4, report.Format());
        Assert.True(parent[^1].Sample.Threads - parent[0].Sample.Threads <= 6, report.Format());
    }
}
