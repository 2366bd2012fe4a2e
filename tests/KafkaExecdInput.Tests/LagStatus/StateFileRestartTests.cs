using KafkaExecdInput.Tests.Support;
using KafkaTestCluster;
using static KafkaExecdInput.Tests.LagStatus.StatusLines;

namespace KafkaExecdInput.Tests.LagStatus;

/// <summary>
/// What state_file is for: Telegraf restarts an execd plugin that exits, and the restarted plugin
/// goes on where the last one stopped. The built plugin is run, gathered three times, stopped the
/// way Telegraf stops it (stdin closed: a clean exit writes the file), and started again on the same
/// file: its first gather already has lag status with the window continuing, and lag in seconds
/// from the history, where a fresh start has neither.
/// </summary>
public sealed class StateFileRestartTests : IAsyncDisposable
{
    private const int Window = 5;
    private const string Topic = "events";
    private readonly TestCluster _cluster = TestCluster.Start();

    [Fact]
    public async Task After_a_clean_exit_the_restarted_plugins_first_gather_continues_the_window_and_the_lag_seconds_history()
    {
        _cluster.CreateTopic(Topic, 1, replicationFactor: 1);
        _cluster.SetWatermarks(Topic, 0, 0, 1_000);
        _cluster.CommitOffset("stopped", Topic, 0, 400); // committed once; nobody is left in the group
        var folder = Directory.CreateTempSubdirectory("kafka-execd-input-state-").FullName;
        try
        {
            var stateFile = Path.Combine(folder, "plugin.state");
            var settings = $"  state_file = \"{stateFile}\"";

            List<Gather> first = [];
            await using (var plugin = LagStatusSession.Start(_cluster.BootstrapServers, Window, settings))
            {
                for (var gather = 0; gather < 3; gather++)
                {
                    _cluster.AdvanceHighWatermark(Topic, 0, 100);
                    first.Add(await plugin.GatherAsync());
                }
                // No file yet: the one W! of a fresh start names it, and nothing else goes wrong.
                var firstStderr = await plugin.StopAsync();
                Assert.Single(firstStderr, l => l.StartsWith("W! ", StringComparison.Ordinal) && l.Contains(stateFile, StringComparison.Ordinal));
                Assert.DoesNotContain(firstStderr, l => l.StartsWith("E! ", StringComparison.Ordinal));
            }
            Assert.True(File.Exists(stateFile), "a clean exit writes the state file");

            await using var restarted = LagStatusSession.Start(_cluster.BootstrapServers, Window, settings);
            _cluster.AdvanceHighWatermark(Topic, 0, 100);
            var afterRestart = await restarted.GatherAsync();
            _cluster.AdvanceHighWatermark(Topic, 0, 100);
            var second = await restarted.GatherAsync();
            var stderr = await restarted.StopAsync();

            // A fresh start: nothing on the first gather; then the window fills 2/5, 3/5.
            Assert.Equal<IReadOnlyList<string>>(
            [
                [],
                [Group("stopped", "ERR", 4, "0"), Partition("stopped", Topic, 0, "STOP", 5, "0.4")],
                [Group("stopped", "ERR", 4, "0"), Partition("stopped", Topic, 0, "STOP", 5, "0.6")],
            ], first.Select(g => Of(g, "stopped")).ToList());
            // The restart continues it: 4/5 on its first gather, full on its second.
            Assert.Equal([Group("stopped", "ERR", 4, "0"), Partition("stopped", Topic, 0, "STOP", 5, "0.8")], Of(afterRestart, "stopped"));
            Assert.Equal([Group("stopped", "ERR", 4, "1"), Partition("stopped", Topic, 0, "STOP", 5, "1")], Of(second, "stopped"));
            Assert.DoesNotContain(stderr, l => l.StartsWith("W! ", StringComparison.Ordinal)); // the file was read, not started over

            // Lag in seconds: none on a fresh first gather (no history, no exact mode); after the restart the
            // history goes back to the first run's first gather, older than the record at 400: "at least" that.
            Assert.Null(SecondsLine(first[0], "stopped", Topic, 0));
            var seconds = SecondsLine(afterRestart, "stopped", Topic, 0);
            Assert.True(seconds is not null, afterRestart.ToString());
            Assert.Equal(3L, seconds.Field("seconds_source"));
            var sinceFirstGather = (Timestamp(afterRestart) - Timestamp(first[0])).TotalSeconds;
            Assert.InRange((double)seconds.Field("seconds")!, sinceFirstGather - first[0].Elapsed.TotalSeconds - 0.001,
                sinceFirstGather + afterRestart.Elapsed.TotalSeconds + 0.001);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
