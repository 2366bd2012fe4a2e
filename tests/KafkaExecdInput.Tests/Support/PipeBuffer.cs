using System.ComponentModel;
using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace KafkaExecdInput.Tests.Support;

/// <summary>
/// What is still in a pipe: lets a test know that the process at the other end has read what the test
/// wrote (an event to wait on) instead of guessing with a sleep.
/// </summary>
internal static class PipeBuffer
{
    /// <summary>Linux's FIONREAD: bytes written to the pipe and not yet read, asked on either end.</summary>
    private const nuint FionRead = 0x541B;

    public static int Unread(Stream pipe)
    {
        var handle = pipe is PipeStream p ? p.SafePipeHandle : throw new ArgumentException($"not a pipe: {pipe.GetType()}", nameof(pipe));
        return Ioctl(handle, FionRead, out var count) == 0 ? count : throw new Win32Exception(Marshal.GetLastPInvokeError());
    }

    /// <summary>Waits until the reader has taken everything written so far; fails after <paramref name="limit"/>.</summary>
    public static async Task WaitUntilReadAsync(Stream pipe, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (Unread(pipe) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the reader left {Unread(pipe)} bytes in the pipe for {limit}");
            await Task.Delay(5);
        }
    }

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(SafeHandle fd, nuint request, out int count);
}
