using System.Buffers;
using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using KafkaTestCluster.Apis;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Network;

/// <summary>
/// One client connection. Requests are read and handled one at a time, which is how a Kafka broker treats a
/// connection (it is muted while a request is in flight): pipelined requests are therefore answered in order.
/// The network round trip (<see cref="NetworkLatency"/>) is added after handling, by the
/// <see cref="ResponseSender"/>, so it delays each response without holding up the next request. Any
/// protocol violation closes this connection only.
/// </summary>
internal sealed class BrokerConnection
{
    private readonly Socket _socket;
    private readonly BrokerNode _broker;
    private readonly ClusterRuntime _runtime;
    private readonly CancellationTokenSource _closed = new();
    private readonly string _peer;
    private readonly InFlightGauge _inFlight;
    private Stream? _stream;
    private ResponseSender? _sender;

    public BrokerConnection(Socket socket, BrokerNode broker, ClusterRuntime runtime)
    {
        _socket = socket;
        _broker = broker;
        _runtime = runtime;
        _peer = socket.RemoteEndPoint?.ToString() ?? "?";
        _inFlight = new InFlightGauge(runtime.Counters, broker.Id);
    }

    /// <summary>Closes the socket; the read loop then ends by itself.</summary>
    public void Close()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already finished
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // the peer may be gone already
        }

        _socket.Dispose();
    }

    public async Task RunAsync()
    {
        var session = new ConnectionSession(_runtime.Sasl);
        var context = new RequestContext(_runtime.State, _broker, session, _runtime.Log);
        using var response = new KafkaWriter();
        var header = new byte[4];
        try
        {
            _stream = await OpenStreamAsync().ConfigureAwait(false);
            _sender = new ResponseSender(_stream, _runtime.Counters, _inFlight, Close, _closed.Token);
            var hung = false;
            while (true)
            {
                if (!await ReadFullyAsync(header).ConfigureAwait(false))
                {
                    return;
                }

                var size = BinaryPrimitives.ReadInt32BigEndian(header);
                if (size <= 0 || size > ClusterRuntime.MaxFrameBytes)
                {
                    _runtime.Log($"broker {_broker.Id}: closing {_peer}: invalid frame size {size}");
                    return;
                }

                var frame = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    if (!await ReadFullyAsync(frame.AsMemory(0, size)).ConfigureAwait(false))
                    {
                        return;
                    }

                    if (hung)
                    {
                        continue; // a hung connection reads (to notice the client leaving) but never answers
                    }

                    _runtime.Counters.AddBytesIn(size + 4);
                    _inFlight.Begin();
                    var outcome = await ServeAsync(frame.AsMemory(0, size), context, response).ConfigureAwait(false);
                    if (outcome == Outcome.Close)
                    {
                        return;
                    }

                    hung = outcome == Outcome.Hang;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                                       or System.Security.Authentication.AuthenticationException)
        {
            // The client, a broker-down fault or cluster disposal ended the connection.
        }
        catch (MalformedRequestException ex)
        {
            _runtime.Log($"broker {_broker.Id}: closing {_peer}: malformed request: {ex.Message}");
        }
#pragma warning disable CA1031 // A bug in a handler must cost one connection, never the cluster.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _runtime.Log($"broker {_broker.Id}: closing {_peer}: unexpected {ex}");
        }
        finally
        {
            await DrainAsync().ConfigureAwait(false);
            Close();
            _inFlight.EndAll();
            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }

            _closed.Dispose();
        }
    }

    /// <summary>Responses already due to leave are on the wire: they still reach the client when the connection ends.</summary>
    private async Task DrainAsync()
    {
        if (_sender is null)
        {
            return;
        }

        try
        {
            await _sender.DrainAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // closed while responses were queued
        }
    }

    private async Task<Stream> OpenStreamAsync()
    {
        var network = new NetworkStream(_socket, ownsSocket: false);
        if (_runtime.Tls is null)
        {
            return network;
        }

        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await ssl.AuthenticateAsServerAsync(_runtime.Tls.ServerOptions, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return ssl;
    }

    private enum Outcome
    {
        Continue,
        Close,
        Hang,
    }

    private async ValueTask<Outcome> ServeAsync(ReadOnlyMemory<byte> frame, RequestContext context, KafkaWriter response)
    {
        var session = context.Session;
        if (session.RawTokenFrames && !session.Authenticated)
        {
            return await ServeRawSaslTokenAsync(frame, session, response).ConfigureAwait(false);
        }

        if (!TryParseHeader(frame.Span, out var header, out var handler))
        {
            return Outcome.Close;
        }

        var api = (ApiKey)header.ApiKey;
        if (!session.Allows(api))
        {
            _runtime.Log($"broker {_broker.Id}: closing {_peer}: {api} before SASL authentication");
            return Outcome.Close;
        }

        var faults = _runtime.Faults;
        var delay = faults.LatencyFor(_broker.Id, api);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _closed.Token).ConfigureAwait(false);
        }

        if (faults.ShouldNeverAnswer(_broker.Id, api))
        {
            return Outcome.Hang;
        }

        response.Reset();
        var sizeAt = response.Reserve(4);
        response.WriteInt32(header.CorrelationId);
        if (handler is null)
        {
            // Unsupported ApiVersions version: v0 body (header v0) listing what is supported.
            ApiVersionsApi.WriteUnsupportedVersion(response);
        }
        else
        {
            var flexible = handler.IsFlexible(header.ApiVersion);
            if (flexible && handler.Key != ApiKey.ApiVersions)
            {
                response.WriteUnsignedVarint(0); // response header v1: empty tagged fields
            }

            response.Flexible = flexible;
            context.Reset(header.ApiVersion, header.ClientId, faults.TakeFailure(_broker.Id, api));
            var reader = new KafkaReader(frame.Span[header.BodyOffset..], flexible);
            handler.Handle(context, ref reader, response);
            if (context.SuppressResponse)
            {
                _inFlight.End();
                return Outcome.Continue;
            }

            if (context.ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(context.ResponseDelay, _closed.Token).ConfigureAwait(false);
            }
        }

        response.PatchInt32(sizeAt, response.Length - 4);
        await SendAsync(response.WrittenMemory).ConfigureAwait(false);
        return context.CloseAfterResponse ? Outcome.Close : Outcome.Continue;
    }

    private readonly record struct RequestHeader(short ApiKey, short ApiVersion, int CorrelationId, string? ClientId, int BodyOffset);

    /// <summary>
    /// Request header v1 (classic) or v2 (flexible: tagged fields after the client id, which stays a classic
    /// string). Unknown API keys and unsupported versions close the connection, as on a Kafka broker: no
    /// response layout exists for them. ApiVersions is the exception the protocol defines.
    /// </summary>
    private bool TryParseHeader(ReadOnlySpan<byte> frame, out RequestHeader header, out ApiHandler? handler)
    {
        header = default;
        var reader = new KafkaReader(frame);
        var apiKey = reader.ReadInt16();
        var version = reader.ReadInt16();
        var correlationId = reader.ReadInt32();

        // Counted before any check, so a test can also see requests the cluster refused (unknown APIs).
        _runtime.Counters.CountRequest(_broker.Id, apiKey);
        handler = _runtime.Apis.Find(apiKey);
        if (handler is null)
        {
            _runtime.Log($"broker {_broker.Id}: closing {_peer}: unknown API key {apiKey}");
            return false;
        }

        if (!handler.Supports(version))
        {
            if (handler.Key == ApiKey.ApiVersions)
            {
                header = new RequestHeader(apiKey, version, correlationId, null, reader.Position);
                handler = null;
                return true;
            }

            _runtime.Log($"broker {_broker.Id}: closing {_peer}: unsupported version {version} of {handler.Key}");
            return false;
        }

        var clientId = reader.ReadClassicNullableString();
        if (handler.IsFlexible(version))
        {
            reader.Flexible = true;
            reader.SkipTaggedFields();
        }

        header = new RequestHeader(apiKey, version, correlationId, clientId, reader.Position);
        return true;
    }

    /// <summary>After SaslHandshake v0, tokens travel as bare size-prefixed frames; a failure closes the connection.</summary>
    private async ValueTask<Outcome> ServeRawSaslTokenAsync(ReadOnlyMemory<byte> token, ConnectionSession session, KafkaWriter response)
    {
        var step = session.Exchange!.Evaluate(token.Span);
        if (step.Failed)
        {
            _runtime.Log($"broker {_broker.Id}: closing {_peer}: {step.ErrorMessage}");
            return Outcome.Close;
        }

        if (step.Complete)
        {
            session.Authenticated = true;
            session.Principal = step.Principal;
        }

        response.Reset();
        var sizeAt = response.Reserve(4);
        response.WriteRaw(step.Response);
        response.PatchInt32(sizeAt, response.Length - 4);
        await SendAsync(response.WrittenMemory).ConfigureAwait(false);
        return Outcome.Continue;
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> bytes) => _sender!.SendAsync(bytes, _runtime.Latency.DueTimestamp(_broker.Id));

    /// <summary>False on a clean end of stream before the first byte; a stream ending mid-frame is an IOException.</summary>
    private async ValueTask<bool> ReadFullyAsync(Memory<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream!.ReadAsync(buffer[read..], _closed.Token).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                {
                    return false;
                }

                throw new IOException("Connection closed mid-frame.");
            }

            read += n;
        }

        return true;
    }
}
