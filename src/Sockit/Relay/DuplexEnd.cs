using System.Net;

namespace Sockit.Relay;

/// <summary>
/// A byte stream as a handler or a relay sees it: read, write, half-close, close. A socket connection (made by
/// <see cref="Transports.StreamConnector"/> or accepted by <see cref="Transports.StreamServer"/>), stdin+stdout,
/// a child process, or a decorator over any of them (<see cref="DuplexEndDecorator"/>: CRLF, raw log, hex dump,
/// checksum; next a TLS or proxy layer). Handlers never see the socket, so one handler serves TCP, Unix or TLS.
/// </summary>
/// <remarks>
/// Layering, as in Pipelines.Sockets.Unofficial: plain <c>[Socket] &lt;- [SocketEnd]</c>; decorated
/// <c>[Socket] &lt;- [SocketEnd] &lt;- [HexDumpEnd] &lt;- ...</c>. A decorator forwards what it does not change.
/// </remarks>
public abstract class DuplexEnd : IAsyncDisposable
{
    /// <summary>A short name for logs: the peer as <c>ip:port</c>, <c>[v6]:port</c> or a Unix path; "stdio", ...</summary>
    public abstract string Name { get; }

    /// <summary>The peer's socket address; <c>null</c> for an unnamed Unix peer or an end that is not a socket.</summary>
    public virtual EndPoint? RemoteEndPoint => null;

    /// <summary>Our own address on this connection (getsockname), when the transport has one; <c>null</c> otherwise.</summary>
    public virtual EndPoint? LocalEndPoint => null;

    /// <summary>The peer's host alone, as the seed prints it before "said:" (<see cref="Name"/> for an end that is not a socket).</summary>
    public virtual string PeerHost => Name;

    /// <summary>Reads at most <paramref name="buffer"/>.Length bytes; 0 means end of input (the peer closed its sending side).</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel);

    /// <summary>Nothing more will be written (half-close): shutdown(SHUT_WR) for a socket, close for stdout; reading goes on.</summary>
    public abstract ValueTask CompleteWritesAsync();

    /// <summary>
    /// For <see cref="RelayOptions.DedicatedThreads"/>: a socket connection switches to blocking recv/send, a
    /// decorator passes the request to the end it wraps, any other end ignores it.
    /// </summary>
    internal virtual void UseBlockingCalls()
    {
    }

    /// <summary>
    /// The descriptor bytes are read from when nothing decorates this end (a plain socket, pipe or file), so a
    /// relay may move them with splice(2) instead of copying (<see cref="Splice.SpliceRoute"/>); null otherwise.
    /// A decorator that sees or changes the bytes never passes it on.
    /// </summary>
    internal virtual Splice.SpliceableFile? SpliceSource => null;

    /// <summary>The descriptor bytes are written to, on the same terms as <see cref="SpliceSource"/>.</summary>
    internal virtual Splice.SpliceableFile? SpliceSink => null;

    /// <summary>
    /// The socket under an end that nothing decorates and nothing traces, so a fan-out may write several buffers in one
    /// call straight to it (<see cref="GatherSend"/>) while no <see cref="WriteAsync"/> is in flight; null otherwise.
    /// </summary>
    internal virtual System.Runtime.InteropServices.SafeHandle? GatherSocket => null;

    /// <summary>Releases the end (closes the socket). Safe to call more than once.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
