using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Security;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Tls;

/// <summary>Connected loopback socket pairs as plain <see cref="DuplexEnd"/>s, for putting the TLS layer on (TCP v4/v6 or Unix).</summary>
internal static class TlsPair
{
    /// <summary>A connected (client, server) pair of plain ends over <paramref name="family"/>.</summary>
    public static async Task<(DuplexEnd Client, DuplexEnd Server)> PlainAsync(string family = "ipv4")
    {
        EndPoint bindTo = family switch
        {
            "ipv6" => new IPEndPoint(IPAddress.IPv6Loopback, 0),
            "unix" => new UnixDomainSocketEndPoint(Path.Combine(Directory.CreateTempSubdirectory("sk").FullName, "t.sock")),
            _ => new IPEndPoint(IPAddress.Loopback, 0),
        };
        var protocol = family == "unix" ? ProtocolType.Unspecified : ProtocolType.Tcp;
        using var listener = new Socket(bindTo.AddressFamily, SocketType.Stream, protocol);
        listener.Bind(bindTo);
        listener.Listen();
        var client = new Socket(bindTo.AddressFamily, SocketType.Stream, protocol);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        return (Wrap(client), Wrap(server));
    }

    /// <summary>A plain end over a connected socket (the one place that knows how the library makes one).</summary>
    public static DuplexEnd Wrap(Socket socket) => new SocketEnd(socket, SocketCalls.For(null));

    /// <summary>Handshakes both sides at once; either may throw its <see cref="TlsException"/>.</summary>
    public static async Task<(TlsEnd Client, TlsEnd Server)> HandshakeAsync(
        TlsClientOptions client, TlsServerOptions server, string host = "127.0.0.1", string family = "ipv4")
    {
        var (c, s) = await PlainAsync(family);
        var serverSide = TlsLayer.AcceptAsync(s, server);
        TlsEnd clientEnd;
        try
        {
            clientEnd = await TlsLayer.ConnectAsync(c, host, client);
        }
        catch
        {
            try
            {
                await (await serverSide).DisposeAsync();
            }
            catch (TlsException)
            {
            }
            throw;
        }
        return (clientEnd, await serverSide);
    }
}
