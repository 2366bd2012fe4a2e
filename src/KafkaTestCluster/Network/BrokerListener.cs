using System.Net;
using System.Net.Sockets;
using KafkaTestCluster.State;

namespace KafkaTestCluster.Network;

/// <summary>
/// A broker's TCP listener and its open connections. Down closes both (new connections are refused);
/// Up binds the same port again. Every task it starts is tracked so disposal can wait for all of them.
/// </summary>
internal sealed class BrokerListener
{
    private ClusterRuntime _runtime = null!;
    private readonly IPAddress _address;
    private readonly Lock _sync = new();
    private readonly HashSet<BrokerConnection> _connections = [];
    private readonly List<Task> _tasks = [];
    private Socket? _socket;
    private bool _disposed;

    private BrokerListener(IPAddress address, Socket socket, int port)
    {
        _address = address;
        _socket = socket;
        Port = port;
    }

    public int Port { get; }

    public BrokerNode? Node { get; private set; }

    /// <summary>Binds and listens synchronously so the broker accepts connections as soon as Start returns.</summary>
    public static BrokerListener Bind(IPAddress address, int port)
    {
        var socket = Listen(address, port);
        return new BrokerListener(address, socket, ((IPEndPoint)socket.LocalEndPoint!).Port);
    }

    private static Socket Listen(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Lets BrokerUp (and a test reusing a fixed port) bind again while old connections sit in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts accepting. The node and runtime come after Bind because they need the bound ports.</summary>
    public void Start(BrokerNode node, ClusterRuntime runtime)
    {
        Node = node;
        _runtime = runtime;
        lock (_sync)
        {
            Track(AcceptLoopAsync(_socket!));
        }
    }

    public void Down()
    {
        Socket? socket;
        BrokerConnection[] open;
        lock (_sync)
        {
            socket = _socket;
            _socket = null;
            open = [.. _connections];
            if (Node is not null)
            {
                Node.IsDown = true;
            }
        }

        socket?.Dispose();
        foreach (var connection in open)
        {
            connection.Close();
        }
    }

    public void Up()
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_socket is not null)
            {
                return;
            }

            _socket = Listen(_address, Port);
            Node!.IsDown = false;
            Track(AcceptLoopAsync(_socket));
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        await Task.Yield();
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return; // listener closed by Down or Dispose
            }

            client.NoDelay = true;
            _runtime.Counters.CountConnection(Node!.Id);
            var connection = new BrokerConnection(client, Node!, _runtime);
            lock (_sync)
            {
                if (_disposed || _socket != listener)
                {
                    connection.Close();
                    continue;
                }

                _connections.Add(connection);
                Track(RunConnectionAsync(connection));
            }
        }
    }

    private async Task RunConnectionAsync(BrokerConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (_sync)
            {
                _connections.Remove(connection);
            }
        }
    }

    /// <summary>Remembers a running task; finished ones are pruned so a long-lived cluster does not grow the list.</summary>
    private void Track(Task task)
    {
        if (_tasks.Count > 64)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
        }

        _tasks.Add(task);
    }

    public int OpenConnections
    {
        get
        {
            lock (_sync)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Tasks still running (accept loops and connections); zero after disposal.</summary>
    public int RunningTasks
    {
        get
        {
            lock (_sync)
            {
                return _tasks.Count(t => !t.IsCompleted);
            }
        }
    }

    /// <summary>Stops listening, closes every connection and returns the tasks to wait for.</summary>
    public Task[] Stop()
    {
        lock (_sync)
        {
            _disposed = true;
        }

        Down();
        lock (_sync)
        {
            return [.. _tasks];
        }
    }
}
