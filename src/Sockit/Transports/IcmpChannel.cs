using System.Net;
using System.Net.Sockets;

namespace Sockit.Transports;

/// <summary>
/// An open ICMP (or ICMPv6) socket as the ping protocol sees it: send a message to an address, receive the
/// next message and who sent it. Which kind of socket lies underneath shows only in two facts the codec needs:
/// whether an IPv4 header comes in front of what is received, and whether the kernel owns the echo identifier.
/// </summary>
internal sealed class IcmpChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private readonly EndPoint _any;
    private int _disposed;

    public IcmpChannel(Socket socket, bool raw, SocketCalls calls)
    {
        _socket = socket;
        _calls = calls;
        IsRaw = raw;
        IsIPv6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        _any = new IPEndPoint(IsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    }

    /// <summary>A raw socket (CAP_NET_RAW) rather than Linux's unprivileged ping socket.</summary>
    public bool IsRaw { get; }

    /// <summary>ICMPv6 over AF_INET6.</summary>
    public bool IsIPv6 { get; }

    /// <summary>Raw IPv4 sockets deliver the IP header too; raw IPv6 and ping sockets deliver the ICMP message alone.</summary>
    public bool ReceivesIpHeader => IsRaw && !IsIPv6;

    /// <summary>A ping socket puts its own identifier in every echo request (and its replies).</summary>
    public bool KernelOwnsIdentifier => !IsRaw;

    /// <summary>
    /// .NET receives datagrams only on a bound socket; binding the wildcard changes nothing for a raw socket,
    /// and on a ping socket it is where the kernel picks the echo identifier.
    /// </summary>
    public void BindAny() => _calls.Bind(_socket, _any);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, IPEndPoint target, CancellationToken cancel)
        => await _calls.SendToAsync(_socket, message, target, cancel).ConfigureAwait(false);

    /// <summary>The next message (whatever ICMP arrives; the caller filters) and its sender.</summary>
    public async ValueTask<(int Length, IPAddress? From)> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        SocketReceiveFromResult received = await _calls.ReceiveFromAsync(_socket, buffer, _any, cancel).ConfigureAwait(false);
        return (received.ReceivedBytes, (received.RemoteEndPoint as IPEndPoint)?.Address);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _calls.Close(_socket);
    }
}
