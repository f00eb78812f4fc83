using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Sockit.Diagnostics;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Connections;

/// <summary>A <see cref="DuplexEnd"/> straight over a connected stream socket: what servers accept and connectors make.</summary>
internal sealed class SocketEnd : DuplexEnd
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private int _disposed;
    private bool _blocking;

    public SocketEnd(Socket socket, SocketCalls calls)
    {
        _socket = socket;
        _calls = calls;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public override EndPoint? RemoteEndPoint { get; }

    // Asked for on demand (getsockname): only exec's environment needs it.
    public override EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    // Formatted on first use only: a server that logs nothing per connection never builds these strings.
    // (A race builds the same text twice; either copy is right.)
    private string? _peerName;
    private string? _peerHost;

    public override string Name => _peerName ??= SocketNames.EndPoint(RemoteEndPoint);

    public override string PeerHost => _peerHost ??= SocketNames.Host(RemoteEndPoint);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        if (!_blocking) return _calls.ReceiveAsync(_socket, buffer, cancel);
        cancel.ThrowIfCancellationRequested();
        try
        {
            int n;
            using (cancel.UnsafeRegister(static state => ((SocketEnd)state!).Unblock(), this))
                n = _calls.Receive(_socket, buffer.Span);
            cancel.ThrowIfCancellationRequested();
            return ValueTask.FromResult(n);
        }
        catch (SocketException) when (cancel.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancel);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        if (!_blocking) return SendAsync(data, cancel);
        cancel.ThrowIfCancellationRequested();
        try
        {
            using (cancel.UnsafeRegister(static state => ((SocketEnd)state!).Unblock(), this))
                _calls.SendAll(_socket, data.Span);
            cancel.ThrowIfCancellationRequested();
            return ValueTask.CompletedTask;
        }
        catch (SocketException) when (cancel.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancel);
        }
    }

    // Pooled: a send that waits for room would otherwise box a state machine per write.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
        => await _calls.SendAsync(_socket, data, cancel).ConfigureAwait(false);

    /// <summary>
    /// Switches reads and writes to blocking recv(2)/send(2) on the caller's thread (for a single
    /// connection relayed by threads of its own). Cancelling a blocked call shuts the socket down both ways,
    /// which wakes it; the call then throws <see cref="OperationCanceledException"/> as the asynchronous
    /// one would. Only worth it before any asynchronous call: after one the runtime keeps the socket
    /// non-blocking and emulates blocking calls through its event loop.
    /// </summary>
    internal override void UseBlockingCalls() => _blocking = true;

    /// <summary>Whether <see cref="UseBlockingCalls"/> has switched this end (for tests).</summary>
    internal bool UsesBlockingCalls => _blocking;

    private Relay.Splice.SpliceableFile? _spliceable;

    internal override Relay.Splice.SpliceableFile? SpliceSource
        => _spliceable ??= Relay.Splice.SpliceableFile.ForSocket(_socket, _calls.Tracing ? _calls.Note : null);

    internal override Relay.Splice.SpliceableFile? SpliceSink => SpliceSource;

    // Not when traced: --trace shows every send this process makes, and these would bypass it.
    internal override System.Runtime.InteropServices.SafeHandle? GatherSocket => _blocking || _calls.Tracing ? null : _socket.SafeHandle;

    private void Unblock() => _calls.Shutdown(_socket, SocketShutdown.Both);

    public override ValueTask CompleteWritesAsync()
    {
        _calls.Shutdown(_socket, SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _calls.Close(_socket);
        return ValueTask.CompletedTask;
    }
}
