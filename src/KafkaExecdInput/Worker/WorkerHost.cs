using Confluent.Kafka;
using KafkaExecdInput.Cli;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.Logging;
using KafkaExecdInput.Snapshot;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Worker;

/// <summary>
/// The worker process: the only place librdkafka runs (design.md §2, §5). Its stdin carries
/// requests from the parent, its stdout carries snapshot parts, its stderr carries log lines the
/// parent relays. If librdkafka crashes it, only this process dies.
/// </summary>
internal static class WorkerHost
{
    /// <summary>librdkafka's destroy waits for in-flight requests; the parent should not wait on that.</summary>
    private static readonly TimeSpan ClientDisposeLimit = TimeSpan.FromSeconds(2);

    public const string Flag = "--worker";

    public static async Task<int> RunAsync()
    {
        var output = new FrameStream(Console.OpenStandardOutput());
        // Frames own stdout; anything else that writes to Console.Out goes to stderr instead.
        Console.SetOut(Console.Error);
        var input = new FrameStream(Console.OpenStandardInput());

        var start = await input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        if (start is null || (MessageKind)start[0] != MessageKind.Start)
        {
            return ExitCodes.Success; // the parent went away before sending anything
        }
        var settings = MessageCodec.DecodeStart(Body(start));

        using var logging = PluginLogging.Create(settings.LogLevel);
        var logger = logging.CreateLogger("worker");
        var health = new ClientHealth();
        IAdminClient admin;
        try
        {
            admin = AdminClientFactory.Create(settings, health, logger);
        }
        catch (ClientConfigurationException e)
        {
            await output.WriteAsync(MessageCodec.EncodeFatal(new WorkerFatal(e.Message, IsConfigurationError: true)), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.ConfigurationError;
        }
        catch (DllNotFoundException e)
        {
            var message = $"the Kafka client library could not be loaded ({e.Message}): keep the librdkafka*.so files in the folder of {Environment.ProcessPath}";
            await output.WriteAsync(MessageCodec.EncodeFatal(new WorkerFatal(message, IsConfigurationError: false)), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }

        try
        {
            var reader = new GatherReader(new ConfluentKafkaAdmin(admin), health, settings, logger, TimeProvider.System);
            var sink = new FrameSink(output);
            await output.WriteAsync(MessageCodec.Encode(MessageKind.Ready), CancellationToken.None).ConfigureAwait(false);

            while (await input.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
            {
                if ((MessageKind)frame[0] == MessageKind.Gather)
                {
                    await reader.GatherAsync(MessageCodec.DecodeGather(Body(frame)), sink).ConfigureAwait(false);
                }
            }
            return ExitCodes.Success;
        }
        catch (IOException)
        {
            return ExitCodes.Success; // the parent closed the pipes: it is shutting down or has died
        }
        finally
        {
            await Task.WhenAny(Task.Run(admin.Dispose), Task.Delay(ClientDisposeLimit)).ConfigureAwait(false);
        }
    }

    private static BinaryReader Body(byte[] frame) => new(new MemoryStream(frame, 1, frame.Length - 1));

    private sealed class FrameSink(FrameStream output) : IGatherSink
    {
        public Task SendAsync(GatherPart part) => output.WriteAsync(MessageCodec.EncodePart(part), CancellationToken.None);
    }
}
