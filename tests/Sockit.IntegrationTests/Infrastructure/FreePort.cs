using System.Net;
using System.Net.Sockets;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// Ports for peers that cannot be told to use port 0 (nc -l). The kernel picks one and we release it;
/// listeners of ours always use port 0 and report the real port instead.
/// </summary>
public static class FreePort
{
    public static int Tcp(AddressFamily family = AddressFamily.InterNetwork)
    {
        using var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A port on which nothing listens right now (for connection-refused tests).</summary>
    public static int Closed() => Tcp();

    public static int Udp(AddressFamily family = AddressFamily.InterNetwork)
    {
        using var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
