using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Sockit.Diagnostics;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Connections;

/// <summary>
/// A connected datagram socket (<c>udp:HOST:PORT</c>) as a stream end, as socat has it: each read returns one
/// datagram, each write sends its bytes as one datagram (split at <see cref="MaxDatagram"/> when longer).
/// Datagrams carry no EOF, so once our writes are complete (the other end's input ended) reads end too, after
/// a quiet <c>linger</c>: replies still on their way get through, then the relay can finish.
/// </summary>
internal sealed class DatagramEnd : DuplexEnd
{
    /// <summary>The largest UDP payload over IPv4 (65,535 minus the IP and UDP headers).</summary>
    public const int MaxDatagram = 65507;

    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private readonly TimeSpan _linger;
    private readonly Lock _gate = new();
    private Timer? _lingerTimer;
    private long _lastReceive;
    private int _writesDone, _disposed;
    private volatile bool _readsEnded;
    private string? _name;

    public DatagramEnd(Socket socket, SocketCalls calls, TimeSpan linger)
    {
        _socket = socket;
        _calls = calls;
        _linger = linger;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public override EndPoint? RemoteEndPoint { get; }

    public override EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    public override string Name => _name ??= SocketNames.EndPoint(RemoteEndPoint) + " (UDP)";

    public override string PeerHost => SocketNames.Host(RemoteEndPoint);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        while (true)
        {
            if (_readsEnded) return 0;
            try
            {
                int n = await _calls.ReceiveAsync(_socket, buffer, cancel).ConfigureAwait(false);
                Volatile.Write(ref _lastReceive, Environment.TickCount64);
                return n;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset && !_readsEnded)
            {
                // An ICMP "port unreachable" for an earlier datagram: nobody listens there (yet); keep going, as nc does.
            }
            catch (Exception e) when (_readsEnded && !cancel.IsCancellationRequested && e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The socket closed at the linger's end aborted the pending receive: that is our EOF.
                return 0;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        for (int offset = 0; offset < data.Length; offset += MaxDatagram)
        {
            ReadOnlyMemory<byte> datagram = data.Slice(offset, Math.Min(MaxDatagram, data.Length - offset));
            try
            {
                await _calls.SendAsync(_socket, datagram, cancel).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
            {
                // The ICMP error of an earlier datagram, reported on this send: this one was not sent either way.
            }
        }
    }

    /// <summary>No more datagrams will be sent; reads end once none has arrived for the linger.</summary>
    public override ValueTask CompleteWritesAsync()
    {
        if (Interlocked.Exchange(ref _writesDone, 1) != 0) return ValueTask.CompletedTask;
        Volatile.Write(ref _lastReceive, Environment.TickCount64);
        lock (_gate)
            if (_disposed == 0) _lingerTimer = new Timer(static state => ((DatagramEnd)state!).CheckQuiet(), this, _linger, Timeout.InfiniteTimeSpan);
        return ValueTask.CompletedTask;
    }

    private void CheckQuiet()
    {
        long quietFor = Environment.TickCount64 - Volatile.Read(ref _lastReceive);
        long left = (long)_linger.TotalMilliseconds - quietFor;
        lock (_gate)
        {
            if (_disposed != 0) return;
            if (left > 0)
            {
                _lingerTimer?.Change(TimeSpan.FromMilliseconds(left), Timeout.InfiniteTimeSpan);
                return;
            }
            _readsEnded = true;
            // shutdown(SHUT_RD) does not wake a receive pending in the runtime's event loop; closing does (our
            // writes are complete, so nothing else needs the socket).
            _calls.Close(_socket);
        }
    }

    public override ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
            _lingerTimer?.Dispose();
        }
        _calls.Close(_socket);
        return ValueTask.CompletedTask;
    }
}
