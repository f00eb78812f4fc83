using System.Net;

namespace Sockit.Connections;

/// <summary>
/// A connected byte stream as a handler sees it: read, write, half-close, close. Handlers never touch the
/// socket, so the same handler runs over TCP, Unix sockets or TLS.
/// </summary>
public abstract class StreamConnection : IAsyncDisposable
{
    /// <summary>The peer's address, or <c>null</c> for an unnamed Unix peer.</summary>
    public abstract EndPoint? RemoteEndPoint { get; }

    /// <summary>Our own address on this connection (getsockname), when the transport has one; <c>null</c> otherwise.</summary>
    public virtual EndPoint? LocalEndPoint => null;

    /// <summary>The peer as <c>ip:port</c>, <c>[v6]:port</c> or a Unix path.</summary>
    public abstract string PeerName { get; }

    /// <summary>The peer's host alone, as the seed prints it before "said:".</summary>
    public abstract string PeerHost { get; }

    /// <summary>Reads at most <paramref name="buffer"/>.Length bytes; 0 means the peer closed its sending side.</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel);

    /// <summary>Half-close: tells the peer we will send no more (shutdown(SHUT_WR)); reading goes on.</summary>
    public abstract ValueTask ShutdownWriteAsync();

    /// <summary>Closes the connection.</summary>
    public abstract ValueTask DisposeAsync();
}
