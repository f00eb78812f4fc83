using System.Net;
using System.Net.Sockets;

namespace Sockit.IntegrationTests.Scan;

/// <summary>Test-side listening sockets on loopback port 0, and ports known to be closed, for scan tests.</summary>
internal sealed class Listeners : IDisposable
{
    private readonly List<Socket> _sockets = [];

    public static IPAddress Loopback(AddressFamily family)
        => family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback;

    /// <summary>Opens a listener with the given backlog and returns its port.</summary>
    public int Open(AddressFamily family, int backlog = 16)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(socket);
        socket.Bind(new IPEndPoint(Loopback(family), 0));
        socket.Listen(backlog);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// A port whose accept queue is full: listen(0) admits one connection, which we make and never accept;
    /// Linux then drops further SYNs, so a connect there gets no answer at all, just as through a firewall.
    /// </summary>
    public int OpenSilent(AddressFamily family)
    {
        int port = Open(family, backlog: 0);
        var filler = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(filler);
        filler.Connect(new IPEndPoint(Loopback(family), port));
        return port;
    }

    /// <summary>A port nobody listens on: bound (so not reused by the kernel meanwhile) but not listening.</summary>
    public int Closed(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(socket);
        socket.Bind(new IPEndPoint(Loopback(family), 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        foreach (Socket socket in _sockets) socket.Dispose();
    }
}
