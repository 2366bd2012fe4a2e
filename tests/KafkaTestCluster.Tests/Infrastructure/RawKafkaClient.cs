using System.Buffers.Binary;
using System.Net.Sockets;
using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Tests.Infrastructure;

/// <summary>
/// A minimal wire-level client: frames requests (header v1 or v2) and returns raw response bodies. Used
/// where the Confluent client cannot be (error codes that crash librdkafka 2.16, malformed frames) and to
/// check exact response layouts.
/// </summary>
internal sealed class RawKafkaClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private RawKafkaClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _stream.ReadTimeout = 10_000;
    }

    public static RawKafkaClient Connect(string address)
    {
        var colon = address.LastIndexOf(':');
        var tcp = new TcpClient();
        tcp.Connect(address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new RawKafkaClient(tcp);
    }

    /// <summary>Sends one request; <paramref name="body"/> writes the body with the writer already in the right (flexible or not) mode.</summary>
    public int Send(ApiKey api, short version, bool flexible, Action<KafkaWriter> body)
    {
        using var writer = new KafkaWriter();
        var sizeAt = writer.Reserve(4);
        var correlationId = ++_correlationId;
        writer.WriteInt16((short)api);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteInt16(4);
        writer.WriteRaw("test"u8);
        if (flexible)
        {
            writer.WriteUnsignedVarint(0);
        }

        writer.Flexible = flexible;
        body(writer);
        writer.PatchInt32(sizeAt, writer.Length - 4);
        SendRaw(writer.WrittenSpan);
        return correlationId;
    }

    public void SendRaw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    /// <summary>Reads one response frame; returns correlation id and the bytes after it (header tagged fields included).</summary>
    public (int CorrelationId, byte[] Body) Receive()
    {
        var size = new byte[4];
        _stream.ReadExactly(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        _stream.ReadExactly(frame);
        return (BinaryPrimitives.ReadInt32BigEndian(frame), frame[4..]);
    }

    /// <summary>A bare size-prefixed frame (SASL tokens after SaslHandshake v0).</summary>
    public byte[] ReceiveRawFrame()
    {
        var size = new byte[4];
        _stream.ReadExactly(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        _stream.ReadExactly(frame);
        return frame;
    }

    /// <summary>Round trip for a flexible API: strips the response header's tagged-field byte.</summary>
    public byte[] Call(ApiKey api, short version, bool flexible, Action<KafkaWriter> body)
    {
        var sent = Send(api, version, flexible, body);
        var (correlationId, response) = Receive();
        Assert.Equal(sent, correlationId);
        return flexible && api != ApiKey.ApiVersions ? response[1..] : response;
    }

    /// <summary>True when the server closed the connection (EOF or reset) within the timeout.</summary>
    public bool IsClosedByServer()
    {
        try
        {
            var buffer = new byte[1];
            return _stream.Read(buffer) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
