using System.Buffers;
using System.Diagnostics;
using System.Text;
using KafkaExecdInput.History;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.UnitTests.Support;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KafkaExecdInput.UnitTests.History;

/// <summary>
/// The state_file fault matrix (History/HistoryStateFile): every file that is not a whole state file
/// of this version starts an empty history with exactly one warning naming the file; writing is
/// atomic, and a failed write keeps the previous file.
/// </summary>
public sealed class HistoryStateFileTests : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private readonly string _folder = Directory.CreateTempSubdirectory("kafka-execd-state-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _logger = new();

    private string StatePath => Path.Combine(_folder, "kafka.state");

    private HistoryStateFile File(long maxBytes = HistoryStateFile.MaxBytes) => new(StatePath, _logger, maxBytes);

    /// <summary>A history after three gathers of one group lagging on two partitions.</summary>
    private GatherHistory Gathered()
    {
        var history = new GatherHistory(_time, Retention);
        for (var gather = 0; gather < 3; gather++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            var watermarks = new WatermarkTable();
            watermarks.SetLatest("orders", 0, 1000 + (100 * gather));
            watermarks.SetLatest("orders", 1, 500);
            history.Observe(new ClusterSnapshot
            {
                Groups = [new ConsumerGroupInfo("billing", "Stable", 2, [new CommittedOffset("orders", 0, 900 + (50 * gather)), new CommittedOffset("orders", 1, 400)])],
                Watermarks = watermarks,
            });
        }
        return history;
    }

    private static byte[] Payload(GatherHistory history)
    {
        var output = new ArrayBufferWriter<byte>();
        history.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private void AssertStartsFreshWithOneWarning(string reason)
    {
        Assert.Null(File().Load(_time, Retention, LagStatusSettings.Default));
        var warning = Assert.Single(_logger.Warnings);
        Assert.Contains(StatePath, warning, StringComparison.Ordinal);
        Assert.Contains(reason, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_logger.Records, r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public void A_saved_history_loads_whole_and_evaluates_as_before()
    {
        var history = Gathered();

        Assert.True(File().Save(history));
        var loaded = File().Load(_time, Retention, LagStatusSettings.Default);

        Assert.NotNull(loaded);
        Assert.Equal(Payload(history), Payload(loaded));
        Assert.Empty(_logger.Warnings);
        Assert.False(System.IO.File.Exists(StatePath + ".tmp"));
    }

    [Fact]
    public void A_missing_file_starts_fresh_with_one_warning() => AssertStartsFreshWithOneWarning("does not exist yet");

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("hello\n", "not a state file of this plugin")]
    [InlineData("{\"version\":1,\"knownGroups\":[],\"groups\":[],\"partitions\":[],\"groupPartitions\":[]}", "not a state file of this plugin")]
    public void A_foreign_or_empty_file_starts_fresh_with_one_warning(string content, string reason)
    {
        System.IO.File.WriteAllText(StatePath, content);
        AssertStartsFreshWithOneWarning(reason);
    }

    [Fact]
    public void A_truncated_file_starts_fresh_with_one_warning()
    {
        File().Save(Gathered());
        var bytes = System.IO.File.ReadAllBytes(StatePath);
        System.IO.File.WriteAllBytes(StatePath, bytes[..(bytes.Length - 7)]);

        AssertStartsFreshWithOneWarning("truncated");
    }

    [Fact]
    public void A_corrupt_file_starts_fresh_with_one_warning()
    {
        File().Save(Gathered());
        var bytes = System.IO.File.ReadAllBytes(StatePath);
        bytes[^10] ^= 0x01; // one bit in the history: it may still parse, with wrong numbers
        System.IO.File.WriteAllBytes(StatePath, bytes);

        AssertStartsFreshWithOneWarning("checksum");
    }

    [Fact]
    public void A_file_whose_checksum_holds_but_whose_history_does_not_parse_starts_fresh_with_one_warning()
    {
        byte[] payload = [.. Payload(Gathered())[..^1]]; // a whole history but its last byte
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload));
        System.IO.File.WriteAllBytes(StatePath, [.. Encoding.ASCII.GetBytes($"kafka-execd-input-history {HistoryFileFormat.Version} {payload.Length} {hash}\n"), .. payload]);

        AssertStartsFreshWithOneWarning("corrupt");
    }

    [Fact]
    public void A_file_of_another_version_starts_fresh_with_one_warning()
    {
        File().Save(Gathered());
        var bytes = System.IO.File.ReadAllBytes(StatePath);
        var header = Encoding.ASCII.GetBytes($"kafka-execd-input-history {HistoryFileFormat.Version} ");
        Assert.Equal(header, bytes[..header.Length]);
        System.IO.File.WriteAllBytes(StatePath, [.. Encoding.ASCII.GetBytes("kafka-execd-input-history 1 "), .. bytes[header.Length..]]);

        AssertStartsFreshWithOneWarning("format version 1");
    }

    [Fact]
    public void A_file_over_the_size_bound_is_neither_read_nor_written()
    {
        Assert.True(File().Save(Gathered()));
        var size = new FileInfo(StatePath).Length;

        Assert.Null(File(maxBytes: size - 100).Load(_time, Retention, LagStatusSettings.Default));
        Assert.Contains("more than", Assert.Single(_logger.Warnings), StringComparison.Ordinal);
        Assert.False(File(maxBytes: size - 100).Save(Gathered()));
        Assert.Equal(size, new FileInfo(StatePath).Length);
    }

    [Fact]
    public void A_full_disk_keeps_the_previous_file_whole_and_warns_once_until_a_write_succeeds()
    {
        var file = File();
        Assert.True(file.Save(Gathered()));
        var before = System.IO.File.ReadAllBytes(StatePath);
        // The temporary file is where every write goes first: /dev/full answers each write with ENOSPC.
        System.IO.File.CreateSymbolicLink(StatePath + ".tmp", "/dev/full");

        Assert.False(file.Save(Gathered()));
        System.IO.File.CreateSymbolicLink(StatePath + ".tmp", "/dev/full");
        Assert.False(file.Save(Gathered()));

        Assert.Equal(before, System.IO.File.ReadAllBytes(StatePath));
        Assert.Contains("could not be written", Assert.Single(_logger.Warnings), StringComparison.Ordinal);
        Assert.NotNull(File().Load(_time, Retention, LagStatusSettings.Default));
        Assert.True(file.Save(Gathered())); // the disk has room again
        Assert.False(System.IO.File.Exists(StatePath + ".tmp"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_folder_that_does_not_exist_or_cannot_be_written_is_refused_at_startup()
    {
        var missing = new HistoryStateFile(Path.Combine(_folder, "no-such-folder", "kafka.state"), _logger);
        Assert.Contains("no-such-folder", Assert.Throws<StateFileException>(missing.CheckUsable).Message, StringComparison.Ordinal);

        var readOnly = Directory.CreateDirectory(Path.Combine(_folder, "read-only")).FullName;
        MakeReadOnly(readOnly);
        try
        {
            var file = new HistoryStateFile(Path.Combine(readOnly, "kafka.state"), _logger);
            var error = Assert.Throws<StateFileException>(file.CheckUsable);
            Assert.Contains(readOnly, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            MakeWritable(readOnly);
        }
    }

    [Fact]
    public async Task The_saver_writes_every_nth_gather_in_the_background_and_on_exit()
    {
        var history = Gathered();
        var saver = new HistorySaver(File(), history, everyGathers: 3);

        saver.AfterGather();
        saver.AfterGather();
        await saver.BeforeGatherAsync();
        Assert.False(System.IO.File.Exists(StatePath));

        saver.AfterGather();
        await saver.BeforeGatherAsync();
        Assert.True(System.IO.File.Exists(StatePath));

        _time.Advance(TimeSpan.FromSeconds(10));
        history.Observe(new ClusterSnapshot());
        saver.AfterGather();
        await saver.SaveOnExitAsync();
        Assert.Equal(Payload(history), Payload(File().Load(_time, Retention, LagStatusSettings.Default)!));
    }

    /// <summary>chmod alone does not stop root (these machines run tests as root): the immutable attribute does.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeReadOnly(string folder)
    {
        System.IO.File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (Environment.UserName == "root")
        {
            Run("chattr", "+i", folder);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeWritable(string folder)
    {
        if (Environment.UserName == "root")
        {
            Run("chattr", "-i", folder);
        }
        System.IO.File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
