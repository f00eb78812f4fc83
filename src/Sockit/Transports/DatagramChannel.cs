using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>
/// One datagram socket (UDP or Unix SOCK_DGRAM), made one of two ways. <see cref="ConnectAsync"/>: connected to
/// one peer, each send is one datagram to it and each receive one datagram from it alone; being connected is
/// what turns an ICMP "port unreachable" into ECONNREFUSED on the next receive instead of a silent wait.
/// <see cref="Bind"/>: bound to a local address, it hears every peer (<see cref="ReceiveFromAsync"/>) and
/// answers any of them (<see cref="SendToAsync"/>).
/// </summary>
/// <example>
/// <code>
/// await using DatagramChannel channel = await DatagramChannel.ConnectAsync(EndpointSpec.Ip("127.0.0.1", 5353, SocketType.Dgram));
/// await channel.SendAsync("ping\n"u8.ToArray());
/// int n = await channel.ReceiveAsync(buffer);
/// </code>
/// </example>
public sealed class DatagramChannel : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private readonly EndPoint _anySender;
    private readonly string? _ownUnixPath;
    private int _disposed;

    private DatagramChannel(Socket socket, SocketCalls calls, EndPoint anySender, string? ownUnixPath = null)
    {
        _socket = socket;
        _calls = calls;
        _anySender = anySender;
        _ownUnixPath = ownUnixPath;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.Connected ? socket.RemoteEndPoint : null;
    }

    /// <summary>Our own address: the ephemeral port for a UDP client, the bound name for a Unix client, the bound address for a listener.</summary>
    public EndPoint? LocalEndPoint { get; }

    /// <summary>The peer a connected channel talks to; <c>null</c> for a bound one.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Resolves <paramref name="peer"/> and connects a datagram socket to it (the first address wins at once: a
    /// datagram connect only fixes the peer). <see cref="ConnectOptions.LocalEndPoint"/> binds a source first; a
    /// Unix client without one binds a name of its own so that it can be answered.
    /// </summary>
    /// <exception cref="SocketException">The name did not resolve, or the socket could not be made or bound.</exception>
    /// <exception cref="TimeoutException">The name did not resolve within <see cref="ConnectOptions.Timeout"/>.</exception>
    /// <exception cref="FormatException">The host, source address or Unix path is not usable.</exception>
    public static Task<DatagramChannel> ConnectAsync(EndpointSpec peer, ConnectOptions? options = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        options ??= new ConnectOptions();
        return ConnectTracedAsync(peer, options, SocketCalls.For(options.Trace), cancel);
    }

    private static async Task<DatagramChannel> ConnectTracedAsync(EndpointSpec peer, ConnectOptions options, SocketCalls calls, CancellationToken cancel)
    {
        Socket socket = await StreamConnector.ConnectSocketAsync(peer with { Type = SocketType.Dgram }, options, calls, cancel).ConfigureAwait(false);
        return new DatagramChannel(socket, calls, socket.RemoteEndPoint!);
    }

    /// <summary>
    /// Binds a datagram socket to <paramref name="local"/> (port 0: a free port; the wildcard address with no
    /// family is dual-stack). A Unix socket file left by a dead process is replaced, and the file this channel
    /// made is removed when it is disposed.
    /// </summary>
    /// <exception cref="SocketException">The address is in use or cannot be bound.</exception>
    /// <exception cref="IOException">The Unix path is taken by a live socket or by something that is not a socket.</exception>
    /// <exception cref="FormatException">The bind address or Unix path is not usable.</exception>
    public static DatagramChannel Bind(EndpointSpec local, SocketTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        var calls = SocketCalls.For(trace);
        if (local.IsUnix) UnixSocketPath.ClearStale(local.UnixPath!, calls);
        Socket socket = SocketFactory.Bind(local with { Type = SocketType.Dgram }, 0, calls);
        EndPoint anySender = socket.AddressFamily switch
        {
            AddressFamily.InterNetworkV6 => new IPEndPoint(IPAddress.IPv6Any, 0),
            AddressFamily.Unix => EndpointSpec.UnixEndPoint(local.UnixPath!),
            _ => new IPEndPoint(IPAddress.Any, 0),
        };
        return new DatagramChannel(socket, calls, anySender, local.UnixPath);
    }

    /// <summary>Sends <paramref name="datagram"/> as one datagram to the connected peer; returns the bytes sent.</summary>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancel = default)
        => _calls.SendAsync(_socket, datagram, cancel);

    /// <summary>Receives one datagram from the connected peer into <paramref name="buffer"/>; a longer one is cut to the buffer's length.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel = default)
        => _calls.ReceiveAsync(_socket, buffer, cancel);

    /// <summary>Receives one datagram from any peer: its length and sender (an unbound Unix sender has an empty address).</summary>
    public ValueTask<SocketReceiveFromResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancel = default)
        => _calls.ReceiveFromAsync(_socket, buffer, _anySender, cancel);

    /// <summary>Sends <paramref name="datagram"/> as one datagram to <paramref name="peer"/>; returns the bytes sent.</summary>
    public ValueTask<int> SendToAsync(ReadOnlyMemory<byte> datagram, EndPoint peer, CancellationToken cancel = default)
        => _calls.SendToAsync(_socket, datagram, peer, cancel);

    /// <summary>Closes the socket, and removes the Unix socket file a bound channel made. Safe to call more than once.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _calls.Close(_socket);
        if (_ownUnixPath is not null) UnixSocketPath.Remove(_ownUnixPath);
        return ValueTask.CompletedTask;
    }
}
