using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;

namespace Sockit.Transports;

/// <summary>
/// One datagram as a <see cref="DatagramServer"/> hands it to a handler: its bytes, who sent it, and a way
/// to answer that sender. Handlers never see the socket. The bytes are valid only until the handler returns.
/// </summary>
public sealed class ReceivedDatagram
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;

    internal ReceivedDatagram(Socket socket, SocketCalls calls, ReadOnlyMemory<byte> data, bool truncated, EndPoint remote)
    {
        _socket = socket;
        _calls = calls;
        Data = data;
        Truncated = truncated;
        RemoteEndPoint = remote;
        PeerName = SocketNames.EndPoint(remote);
        PeerHost = SocketNames.Host(remote);
        CanReply = !IsUnnamedUnixPeer(remote);
    }

    /// <summary>The datagram's bytes (at most the server's size limit).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>
    /// True when the datagram was longer than the size limit; <see cref="Data"/> then holds only its start,
    /// the kernel has dropped the rest.
    /// </summary>
    public bool Truncated { get; }

    /// <summary>The sender's address as recvfrom reported it.</summary>
    public EndPoint RemoteEndPoint { get; }

    /// <summary>The sender as <c>ip:port</c>, <c>[v6]:port</c>, a Unix path, or <c>unnamed</c>.</summary>
    public string PeerName { get; }

    /// <summary>The sender's address alone (no port), as the seed's inet_ntoa prints it.</summary>
    public string PeerHost { get; }

    /// <summary>
    /// False for a Unix datagram socket that never bound an address: recvfrom reports an empty name and there
    /// is nowhere to send an answer (sendto fails with EINVAL). UDP senders always have an address, because the
    /// kernel picks an ephemeral port at their first send.
    /// </summary>
    public bool CanReply { get; }

    /// <summary>Sends one datagram back to the sender (sendto).</summary>
    /// <exception cref="InvalidOperationException">The sender has no address (<see cref="CanReply"/> is false).</exception>
    /// <exception cref="SocketException">sendto failed.</exception>
    public async ValueTask ReplyAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        if (!CanReply) throw new InvalidOperationException($"cannot answer {PeerName}: it has no address");
        await _calls.SendToAsync(_socket, data, RemoteEndPoint, cancel).ConfigureAwait(false);
    }

    private static bool IsUnnamedUnixPeer(EndPoint remote)
        => remote is UnixDomainSocketEndPoint unix && string.IsNullOrEmpty(unix.ToString());
}
