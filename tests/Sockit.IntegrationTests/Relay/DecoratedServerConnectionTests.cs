using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Endpoints;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Echo;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Relay;

/// <summary>
/// A server's accepted connection is the same <see cref="DuplexEnd"/> a relay sees, so the relay's decorators wrap
/// it: here an echo handler runs over CRLF translation and a hex dump, and the peer members pass through.
/// </summary>
public sealed class DecoratedServerConnectionTests
{
    [Fact]
    public async Task EchoOverCrlfAndHexDumpOnAnAcceptedConnection()
    {
        var dump = new StringWriter();
        EndPoint? seenPeer = null;
        string? seenHost = null;
        await using var server = StreamServer.Listen(EndpointSpec.Ip("127.0.0.1", 0));
        using var stop = new CancellationTokenSource();
        Task serving = server.RunAsync(async (connection, abort) =>
        {
            await using var decorated = new HexDumpEnd(new CrlfEnd(connection), dump, ownsOutput: false);
            seenPeer = decorated.RemoteEndPoint;
            seenHost = decorated.PeerHost;
            await EchoHandler.RunAsync(decorated, abort);
        }, stop.Token);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
        await client.SendAsync("one\ntwo\n"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        byte[] echoed = await ReadToEndAsync(client).WaitAsync(RunningProcess.DefaultWait);
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);

        Assert.Equal("one\r\ntwo\r\n", Encoding.ASCII.GetString(echoed));
        Assert.Equal(client.LocalEndPoint, seenPeer);
        Assert.Equal("127.0.0.1", seenHost);
        // Both directions appear in the dump: what was read (after CRLF) and what was written back.
        Assert.Contains("0d 0a", dump.ToString(), StringComparison.Ordinal);
        Assert.Contains("two", dump.ToString(), StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }
}
