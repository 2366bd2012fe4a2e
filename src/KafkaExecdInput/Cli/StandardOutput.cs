using Microsoft.Win32.SafeHandles;

namespace KafkaExecdInput.Cli;

/// <summary>
/// The process's stdout as a stream that reports a reader that has gone away. The console stream
/// .NET opens on Unix treats a write to a broken pipe (EPIPE) as a success, so a plugin whose reader
/// had closed stdout would go on gathering into nothing instead of exiting (design.md §3,
/// <see cref="ExitCodes.OutputClosed"/>). A plain file stream on descriptor 1 fails with an
/// <see cref="IOException"/> instead; the runtime ignores SIGPIPE, so the write error is all that happens.
/// </summary>
internal static class StandardOutput
{
    private const int StdoutDescriptor = 1;

    public static Stream Open() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new FileStream(new SafeFileHandle(StdoutDescriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0);
}
