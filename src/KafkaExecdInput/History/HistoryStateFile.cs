using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.History;

/// <summary>The state file cannot be used at all (its folder is not writable, the file not readable): a startup error.</summary>
internal sealed class StateFileException(string message) : Exception(message);

/// <summary>
/// The optional <c>state_file</c>: the <see cref="GatherHistory"/> kept across restarts of the plugin
/// (Telegraf restarts an execd plugin that exits). The file is one header line, then the history's
/// versioned binary form (History/HistoryFileFormat.cs):
/// <c>kafka-execd-input-history &lt;version&gt; &lt;payload bytes&gt; &lt;SHA-256 of the payload&gt;\n</c>.
/// </summary>
/// <remarks>
/// <para>Reading checks the header before parsing anything, so a missing, truncated, corrupt,
/// other-version or foreign file is recognised as such and the plugin starts with an empty history
/// and one <c>W!</c> naming the file; a history is never half-read (parsing builds a new one, used
/// only when it completed).</para>
/// <para>Writing is atomic: a temporary file in the same folder, flushed to disk (fsync), then
/// renamed over the old one, so a crash or a full disk leaves the previous file whole.</para>
/// <para>The size is bounded twice: the history itself (rings of fixed capacity, entries dropped
/// after history_retention) and <see cref="MaxBytes"/>, past which a file is neither written nor read.</para>
/// </remarks>
/// <param name="maxBytes">The size bound (<see cref="MaxBytes"/>; smaller in tests).</param>
internal sealed class HistoryStateFile(string path, ILogger logger, long maxBytes = HistoryStateFile.MaxBytes)
{
    /// <summary>Above this a file is not one this plugin wrote (L, the largest cluster measured, writes ~20 MB).</summary>
    public const long MaxBytes = 1L << 30;

    private const string Magic = "kafka-execd-input-history";

    /// <summary>The header is short: magic, version, length, 64 hex digits.</summary>
    private const int MaxHeaderBytes = 256;

    private bool _lastWriteFailed;

    public string Path => path;

    private string TemporaryPath => path + ".tmp";

    /// <summary>
    /// Checks at startup that the file can be written (a temporary file in its folder is created,
    /// synced and removed) and, when it exists, read. Throws <see cref="StateFileException"/> with one line saying why not.
    /// </summary>
    public void CheckUsable()
    {
        try
        {
            using (var probe = new FileStream(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                probe.WriteByte((byte)'\n');
                probe.Flush(flushToDisk: true);
            }
            File.Delete(TemporaryPath);
            if (File.Exists(path))
            {
                using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException($"cannot use \"{path}\": {e.Message}");
        }
    }

    /// <summary>
    /// The history the file holds, or null (start fresh) after one warning naming the file and the
    /// reason: missing, too large, foreign, another version, truncated, corrupt.
    /// </summary>
    public GatherHistory? Load(TimeProvider time, TimeSpan retention, LagStatusSettings? lagStatus)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > maxBytes)
            {
                return Fresh($"it has {length} bytes, more than the {maxBytes} a state file may have");
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return Fresh("it does not exist yet");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fresh($"it could not be read: {e.Message}");
        }

        if (Payload(bytes, out var problem) is not { } payload)
        {
            return Fresh(problem!);
        }
        try
        {
            var history = GatherHistory.ReadFrom(bytes.AsSpan(payload.Start, payload.Length), time, retention, lagStatus);
            logger.LogInformation("state_file \"{Path}\": history of {Groups} groups, {Partitions} partitions and {GroupPartitions} group-partitions restored",
                path, history.Groups.Count, history.Partitions.Count, history.GroupPartitions.Count);
            return history;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return Fresh($"its history is corrupt: {e.Message}");
        }
    }

    /// <summary>
    /// Writes <paramref name="history"/> atomically. A failure (a full disk, a folder made read-only
    /// since startup) keeps the previous file, logs one warning until a write succeeds again, and
    /// returns false; it never throws.
    /// </summary>
    public bool Save(GatherHistory history)
    {
        var payload = new ArrayBufferWriter<byte>(1 << 20);
        try
        {
            history.WriteTo(payload);
            var written = payload.WrittenSpan;
            if (written.Length > maxBytes)
            {
                return Failed($"the history is {written.Length} bytes, more than the {maxBytes} a state file may have");
            }
            var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{Magic} {HistoryFileFormat.Version} {written.Length} {Convert.ToHexStringLower(SHA256.HashData(written))}\n"));
            using (var file = new FileStream(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                file.Write(header);
                file.Write(written);
                file.Flush(flushToDisk: true);
            }
            File.Move(TemporaryPath, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(TemporaryPath);
            return Failed(e.Message);
        }
        if (_lastWriteFailed)
        {
            logger.LogInformation("state_file \"{Path}\" written again", path);
            _lastWriteFailed = false;
        }
        return true;
    }

    /// <summary>Where the payload lies in <paramref name="bytes"/>, or null with the reason the file is not a whole state file of this version.</summary>
    private static (int Start, int Length)? Payload(byte[] bytes, out string? problem)
    {
        var end = Array.IndexOf(bytes, (byte)'\n', 0, Math.Min(bytes.Length, MaxHeaderBytes));
        var fields = end < 0 ? [] : Encoding.ASCII.GetString(bytes, 0, end).Split(' ');
        if (fields.Length != 4 || fields[0] != Magic)
        {
            problem = bytes.Length == 0 ? "it is empty" : "it is not a state file of this plugin";
            return null;
        }
        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version != HistoryFileFormat.Version)
        {
            problem = $"it has format version {fields[1]}, this plugin reads {HistoryFileFormat.Version}";
            return null;
        }
        var start = end + 1;
        if (!long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length != bytes.Length - start)
        {
            problem = $"it is truncated or has extra bytes ({bytes.Length - start} bytes of history, the header says {fields[2]})";
            return null;
        }
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(start))), fields[3], StringComparison.Ordinal))
        {
            problem = "it is corrupt (its checksum does not match)";
            return null;
        }
        problem = null;
        return (start, (int)length);
    }

    private GatherHistory? Fresh(string reason)
    {
        logger.LogWarning("state_file \"{Path}\": {Reason}; starting with an empty history", path, reason);
        return null;
    }

    private bool Failed(string reason)
    {
        if (!_lastWriteFailed)
        {
            logger.LogWarning("state_file \"{Path}\" could not be written ({Reason}); the previous file is kept, and the history is still in memory", path, reason);
            _lastWriteFailed = true;
        }
        return false;
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
