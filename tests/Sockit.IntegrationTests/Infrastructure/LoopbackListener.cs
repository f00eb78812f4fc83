using System.Net;
using System.Net.Sockets;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>A plain TCP listener on 127.0.0.1, port 0 (read the port from <see cref="Socket.LocalEndPoint"/>): the far peer a client test connects to.</summary>
public static class LoopbackListener
{
    /// <summary>Bound and listening with <paramref name="backlog"/>; the caller disposes it.</summary>
    public static Socket Tcp4(int backlog = 1)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return listener;
    }
}
