using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Benchmarks;

/// <summary>A connected TCP pair on loopback: a plain client socket and the accepted side as a Sockit connection.</summary>
internal sealed class LoopbackPair : IDisposable
{
    private LoopbackPair(Socket client, DuplexEnd server)
    {
        Client = client;
        Server = server;
    }

    public Socket Client { get; }

    public DuplexEnd Server { get; }

    public static LoopbackPair Open()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listener.LocalEndPoint!);
        Socket accepted = listener.Accept();
        return new LoopbackPair(client, new SocketEnd(accepted, SocketCalls.Untraced));
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
