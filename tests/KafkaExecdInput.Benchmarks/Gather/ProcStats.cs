using System.Globalization;

namespace KafkaExecdInput.Benchmarks.Gather;

/// <summary>CPU time and memory of a process, read from /proc (Linux).</summary>
internal static class ProcStats
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/&lt;pid&gt;/stat (100 on every Linux build in practice).</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>
    /// User + system CPU seconds the process has used, all threads (10 ms resolution); NaN when it has
    /// exited (a worker is retired after a gather that left Kafka calls running, WorkerProtocol/README.md).
    /// </summary>
    public static double CpuSeconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return double.NaN;
        }
        // The command name (field 2) is in parentheses and may contain spaces: fields are counted after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    /// <summary>Resident set size now (VmRSS) and its high-water mark (VmHWM), in bytes.</summary>
    public static (long Rss, long Peak) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (rss, peak);
    }

    /// <summary>Resets VmHWM to the current RSS (clear_refs value 5, Linux 4.0+), so a peak belongs to one phase.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
