using KafkaExecdInput.Logging;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.UnitTests.Logging;

[CollectionDefinition(nameof(ConsoleRedirection), DisableParallelization = true)]
public sealed class ConsoleRedirection;

/// <summary>Runs the real console logger with stderr and stdout captured.</summary>
[Collection(nameof(ConsoleRedirection))]
public sealed class PluginLoggingTests
{
    private static (string StdErr, string StdOut) Capture(LogLevel minimumLevel, Action<ILogger> log)
    {
        TextWriter originalError = Console.Error;
        TextWriter originalOut = Console.Out;
        using var stdErr = new StringWriter();
        using var stdOut = new StringWriter();
        Console.SetError(stdErr);
        Console.SetOut(stdOut);
        try
        {
            using (ILoggerFactory factory = PluginLogging.Create(minimumLevel))
            {
                log(factory.CreateLogger("KafkaExecdInput.Test"));
            }

            return (stdErr.ToString(), stdOut.ToString());
        }
        finally
        {
            Console.SetError(originalError);
            Console.SetOut(originalOut);
        }
    }

    [Fact]
    public void Writes_prefixed_lines_to_stderr_only_and_flushes_on_dispose()
    {
        (string stdErr, string stdOut) = Capture(LogLevel.Information, logger =>
        {
            logger.LogError("broker {Broker} unreachable", "b1:9092");
            logger.LogWarning("two\nlines");
            logger.LogInformation("started");
            logger.LogDebug("not shown at info");
        });

        Assert.Equal("E! broker b1:9092 unreachable\nW! two\\nlines\nI! started\n", stdErr);
        Assert.Equal("", stdOut);
    }

    [Fact]
    public void Trace_level_shows_stack_traces_and_other_levels_do_not()
    {
        var exception = new InvalidOperationException("boom");
        try
        {
            throw exception;
        }
        catch (InvalidOperationException)
        {
            // Gives the exception a stack trace.
        }

        (string atTrace, _) = Capture(LogLevel.Trace, logger => logger.LogError(exception, "failed"));
        (string atInfo, _) = Capture(LogLevel.Information, logger => logger.LogError(exception, "failed"));

        Assert.StartsWith("E! failed: System.InvalidOperationException: boom\\n   at ", atTrace);
        Assert.Equal("E! failed: InvalidOperationException: boom\n", atInfo);
    }
}
