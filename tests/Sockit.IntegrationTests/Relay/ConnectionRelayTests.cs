using System.Net.Sockets;
using Sockit.Connections;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Relay;

/// <summary>The library relay between two real socket connections (the shape of a port forwarder).</summary>
public sealed class ConnectionRelayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConnectionToConnectionRelayCarriesHalfClosesBothWays()
    {
        (Socket client, Socket relayLeft) = await PairAsync();
        (Socket server, Socket relayRight) = await PairAsync();
        using var _1 = client;
        using var _2 = server;
        await using var left = new SocketEnd(relayLeft, SocketCalls.Untraced);
        await using var right = new SocketEnd(relayRight, SocketCalls.Untraced);
        Task<RelayResult> relay = DuplexRelay.RunAsync(left, right, new RelayOptions(), CancellationToken.None);

        byte[] request = new byte[3_000_000], reply = new byte[1_000_001];
        Random.Shared.NextBytes(request);
        Random.Shared.NextBytes(reply);
        // The client sends and half-closes; the server reads to EOF and only then replies.
        Task<byte[]> clientReads = SendThenReadAsync(client, request);
        Assert.Equal(request, await ReadToEndAsync(server));
        await server.SendAsync(reply);
        server.Shutdown(SocketShutdown.Send);
        Assert.Equal(reply, await clientReads.WaitAsync(Bound));

        RelayResult result = await relay.WaitAsync(Bound);
        Assert.Equal(RelayEndReason.BothEof, result.Reason);
        Assert.Equal(request.Length, result.BytesAToB);
        Assert.Equal(reply.Length, result.BytesBToA);
    }

    private static async Task<byte[]> SendThenReadAsync(Socket socket, byte[] data)
    {
        await socket.SendAsync(data);
        socket.Shutdown(SocketShutdown.Send);
        return await ReadToEndAsync(socket);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[65536];
        using var deadline = new CancellationTokenSource(Bound);
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    private static async Task<(Socket, Socket)> PairAsync()
    {
        using var listener = LoopbackListener.Tcp4();
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task connect = connecting.ConnectAsync(listener.LocalEndPoint!);
        Socket accepted = await listener.AcceptAsync().WaitAsync(Bound);
        await connect.WaitAsync(Bound);
        return (connecting, accepted);
    }
}
