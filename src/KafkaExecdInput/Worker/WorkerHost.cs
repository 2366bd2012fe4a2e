using Confluent.Kafka;
using KafkaExecdInput.Cli;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.Logging;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Worker;

/// <summary>
/// The worker process: the only place librdkafka runs (design.md §2, §5). Its stdin carries
/// requests from the parent, its stdout carries snapshot parts, its stderr carries log lines the
/// parent relays. If librdkafka crashes it, only this process dies. The messages are
/// WorkerProtocol's (README.md there).
/// </summary>
internal static class WorkerHost
{
    /// <summary>librdkafka's destroy waits for in-flight requests; the parent should not wait on that.</summary>
    private static readonly TimeSpan ClientDisposeLimit = TimeSpan.FromSeconds(2);

    public const string Flag = WorkerCommand.Flag;

    public static async Task<int> RunAsync()
    {
        var output = new FrameStream(Console.OpenStandardOutput());
        // Frames own stdout; anything else that writes to Console.Out goes to stderr instead.
        Console.SetOut(Console.Error);
        var input = new FrameStream(Console.OpenStandardInput());

        StartWorker start;
        try
        {
            if (await ReadAsync(input).ConfigureAwait(false) is not StartWorker first)
            {
                return ExitCodes.Success; // the parent went away before sending anything
            }
            start = first;
        }
        catch (InvalidDataException e)
        {
            // Most likely a parent of another version (an upgrade replaced the executable under it).
            await SendAsync(output, new WorkerFatal($"the worker could not read its start message: {e.Message}", IsConfigurationError: false)).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
        if (start.ProtocolVersion != MessageCodec.ProtocolVersion)
        {
            var message = $"the worker executable {Environment.ProcessPath} speaks protocol version {MessageCodec.ProtocolVersion}, the plugin {start.ProtocolVersion}: restart the plugin after an upgrade";
            await SendAsync(output, new WorkerFatal(message, IsConfigurationError: false)).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
        var settings = start.Settings;

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
            await SendAsync(output, new WorkerFatal(e.Message, IsConfigurationError: true)).ConfigureAwait(false);
            return ExitCodes.ConfigurationError;
        }
        catch (DllNotFoundException e)
        {
            var message = $"the Kafka client library could not be loaded ({e.Message}): keep the librdkafka*.so files in the folder of {Environment.ProcessPath}";
            await SendAsync(output, new WorkerFatal(message, IsConfigurationError: false)).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }

        try
        {
            using var records = settings.ReadRecordTimestamps ? new RecordTimestampReader(settings, logger) : null;
            var reader = new GatherReader(new ConfluentKafkaAdmin(admin), health, settings, logger, TimeProvider.System, records);
            var sink = new FrameSink(output);
            await SendAsync(output, new WorkerReady()).ConfigureAwait(false);

            while (await ReadAsync(input).ConfigureAwait(false) is { } message)
            {
                if (message is GatherRequest request)
                {
                    var callsLeftRunning = await GatherByDeadlineAsync(reader, request, sink).ConfigureAwait(false);
                    // A call still running belongs to no gather now; this client is retired with it, so none runs into
                    // the next gather (where its late end could abort librdkafka: crash fact coordinator-timeout-abort).
                    await SendAsync(output, new GatherDone(request.GatherId, ReplaceWorker: callsLeftRunning || health.CoordinatorRequestTimedOut)).ConfigureAwait(false);
                    // The gather's garbage would otherwise stay in RSS until the next gather: see Execd/GatherCycle.OutputWritten.
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
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

    /// <summary>
    /// Reads one gather and returns whether Kafka calls were left running: calls its readers stopped
    /// waiting for at the deadline, or the gather itself when it has not ended by the budget plus
    /// <see cref="GatherRequest.AnswerGrace"/>. The block is due then (issue 11), and an admin call can
    /// outlive the budget by its whole timeout (Kafka/README.md). What the gather sends after that is
    /// dropped (<see cref="GatherGate"/>).
    /// </summary>
    private static async Task<bool> GatherByDeadlineAsync(GatherReader reader, GatherRequest request, FrameSink sink)
    {
        var gate = new GatherGate(sink);
        var gather = reader.GatherAsync(request, gate);
        var answerBy = request.Budget + GatherRequest.AnswerGrace;
        using var answered = new CancellationTokenSource();
        var due = Task.Delay(answerBy > TimeSpan.Zero ? answerBy : TimeSpan.Zero, answered.Token);
        if (await Task.WhenAny(gather, due).ConfigureAwait(false) == gather)
        {
            await answered.CancelAsync().ConfigureAwait(false); // no timer left behind per gather
            return await gather.ConfigureAwait(false) > 0;
        }
        await gate.CloseAsync().ConfigureAwait(false);
        await sink.ReportAsync(new GatherError("gather",
            "the gather deadline passed with Kafka calls still waiting for an answer (a broker or coordinator that does not answer); what they would have read is missing")).ConfigureAwait(false);
        return true;
    }

    /// <summary>The parent's next message, or null when it closed the pipe.</summary>
    private static async Task<ParentMessage?> ReadAsync(FrameStream input) =>
        await input.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } frame ? MessageCodec.ReadParentMessage(frame.Span) : null;

    private static Task SendAsync(FrameStream output, WorkerMessage message) =>
        output.WriteAsync(buffer => MessageCodec.Write(buffer, message), CancellationToken.None);

    private sealed class FrameSink(FrameStream output) : IGatherSink
    {
        public Task SendAsync(GatherPart part) => WorkerHost.SendAsync(output, part);

        public Task ReportAsync(GatherError error) => WorkerHost.SendAsync(output, new GatherFailure(error));
    }
}
