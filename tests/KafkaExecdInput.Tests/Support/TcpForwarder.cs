using System.Net;
using System.Net.Sockets;

namespace KafkaExecdInput.Tests.Support;

/// <summary>
/// Forwards TCP connections from another loopback address (127.0.0.2 by default) to a broker, byte for
/// byte. A client that bootstraps through it reaches the real broker, TLS and all, under a name the
/// broker's certificate does not carry: the host-name check must refuse it.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly Task _acceptLoop;

    public TcpForwarder(string targetHostPort, string listenAddress = "127.0.0.2")
    {
        _target = IPEndPoint.Parse(targetHostPort);
        _listener = new TcpListener(IPAddress.Parse(listenAddress), 0);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>"127.0.0.2:port".</summary>
    public string Address => _listener.LocalEndpoint.ToString()!;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_tasks)
            {
                _tasks.Add(ForwardAsync(client));
            }
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                var down = client.GetStream();
                var up = upstream.GetStream();
                // When either side closes, close both.
                await Task.WhenAny(down.CopyToAsync(up, _stop.Token), up.CopyToAsync(down, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] tasks;
        lock (_tasks)
        {
            tasks = [.. _tasks];
        }
        await Task.WhenAll(tasks);
        _stop.Dispose();
    }
}
