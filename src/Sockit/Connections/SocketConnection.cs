using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Transports;

namespace Sockit.Connections;

/// <summary>A <see cref="StreamConnection"/> straight over a connected stream socket.</summary>
internal sealed class SocketConnection : StreamConnection
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private int _disposed;

    public SocketConnection(Socket socket, SocketCalls calls)
    {
        _socket = socket;
        _calls = calls;
        RemoteEndPoint = socket.RemoteEndPoint;
        PeerName = SocketNames.EndPoint(RemoteEndPoint);
        PeerHost = SocketNames.Host(RemoteEndPoint);
    }

    public override EndPoint? RemoteEndPoint { get; }

    public override string PeerName { get; }

    public override string PeerHost { get; }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
        => _calls.ReceiveAsync(_socket, buffer, cancel);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
        => await _calls.SendAsync(_socket, data, cancel).ConfigureAwait(false);

    public override ValueTask ShutdownWriteAsync()
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
