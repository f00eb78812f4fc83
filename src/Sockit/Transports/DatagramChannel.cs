using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>
/// A client's datagram socket connected to one peer (UDP or Unix SOCK_DGRAM): each send is one datagram,
/// each receive returns one datagram from that peer only. Being connected is what turns an ICMP
/// "port unreachable" into ECONNREFUSED on the next receive instead of a silent wait.
/// </summary>
internal sealed class DatagramChannel : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private int _disposed;

    private DatagramChannel(Socket socket, SocketCalls calls)
    {
        _socket = socket;
        _calls = calls;
        LocalEndPoint = socket.LocalEndPoint;
    }

    /// <summary>Our own address: the ephemeral port for UDP, the bound name for a Unix client.</summary>
    public EndPoint? LocalEndPoint { get; }

    /// <summary>Resolves <paramref name="peer"/> and connects a datagram socket to it (the first address wins at once: a datagram connect only fixes the peer).</summary>
    public static async Task<DatagramChannel> ConnectAsync(EndpointSpec peer, SocketCalls calls, CancellationToken cancel)
    {
        Socket socket = await StreamConnector.ConnectSocketAsync(peer with { Type = SocketType.Dgram }, new ConnectOptions(), calls, cancel).ConfigureAwait(false);
        return new DatagramChannel(socket, calls);
    }

    /// <summary>Sends <paramref name="datagram"/> as one datagram.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancel)
        => await _calls.SendAsync(_socket, datagram, cancel).ConfigureAwait(false);

    /// <summary>Receives one datagram into <paramref name="buffer"/>; a longer one is cut to the buffer's length.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel)
        => _calls.ReceiveAsync(_socket, buffer, cancel);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _calls.Close(_socket);
        return ValueTask.CompletedTask;
    }
}
