using System.Net;
using System.Net.Sockets;

namespace Sockit.Tests;

/// <summary>A connected TCP pair over 127.0.0.1 (port 0), for tests that need real sockets.</summary>
internal static class LoopbackPair
{
    public static async Task<(Socket Client, Socket Accepted)> ConnectAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(TimeSpan.FromSeconds(30));
        return (client, await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
