using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Sockit.Access;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>What a server does with one datagram. The datagram's bytes are recycled when it returns.</summary>
/// <param name="datagram">The datagram, its sender, and the way to answer it.</param>
/// <param name="abort">Cancelled when the server gives up waiting for in-flight handlers at shutdown.</param>
public delegate ValueTask DatagramHandler(ReceivedDatagram datagram, CancellationToken abort);

/// <summary>Settings for <see cref="DatagramServer"/>.</summary>
public sealed record DatagramServerOptions
{
    /// <summary>The largest datagram kept whole; a longer one is handed over cut, marked <see cref="ReceivedDatagram.Truncated"/>.
    /// 64 KiB holds any UDP datagram (at most 65,507 bytes over IPv4); Unix datagrams may be larger.</summary>
    public int MaxDatagramBytes { get; init; } = 64 * 1024;

    /// <summary>How long in-flight handlers may run on after shutdown starts before they are aborted.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>Called when a handler throws; the server goes on serving the other peers.</summary>
    public Action<ReceivedDatagram, Exception>? OnDatagramError { get; init; }

    /// <summary>Permission bits for a Unix socket file; <c>null</c> leaves the umask's.</summary>
    public UnixFileMode? UnixMode { get; init; }

    /// <summary>
    /// Most datagrams handled at once. Past it a datagram is received and dropped, unanswered, and counted in
    /// <see cref="OnDropped"/>: a flood, or answers stuck on a peer that stopped reading, then costs bounded memory
    /// while the server keeps answering. 256 in flight hold at most 16 MiB of datagram bytes at the 64 KiB limit.
    /// </summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>
    /// Told how many datagrams were dropped at <see cref="MaxInFlight"/> since it was last called: at most once a
    /// second while drops go on, and once more at shutdown for any not yet told. Never called per datagram.
    /// </summary>
    public Action<long>? OnDropped { get; init; }

    /// <summary>Which peers are answered (ncat's <c>--allow</c>/<c>--deny</c>); <c>null</c> answers everyone. A refused
    /// peer's datagram is dropped as soon as it is received, never handed to the handler.</summary>
    public AccessPolicy? Access { get; init; }

    /// <summary>Told of every datagram <see cref="Access"/> refused: the sender and the rule that decided. Must be thread-safe.</summary>
    public Action<EndPoint, AccessDecision>? OnRefused { get; init; }
}

/// <summary>
/// A bound datagram socket (UDP over IPv4, IPv6 or dual-stack, or a Unix SOCK_DGRAM socket) whose receive loop
/// hands every datagram to a handler on its own task, so a peer whose answer is slow to send (a full Unix
/// receive queue, say) delays no one else. At most <see cref="DatagramServerOptions.MaxInFlight"/> are handled
/// at once; the excess is dropped and counted, so memory stays bounded under a flood. There is no connection and
/// no accept: one socket, recvfrom in a loop, answers by sendto.
/// </summary>
public sealed class DatagramServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private readonly DatagramServerOptions _options;
    private readonly string? _unixPathToRemove;
    private readonly InFlightTasks _inFlight = new();
    private int _handling;
    private long _dropped;
    private long _droppedTold;
    private int _closed;

    private DatagramServer(Socket socket, SocketCalls calls, DatagramServerOptions options, string displayName, string? unixPath)
    {
        _socket = socket;
        _calls = calls;
        _options = options;
        _unixPathToRemove = unixPath;
        LocalEndPoint = socket.LocalEndPoint!;
        DisplayName = displayName;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>The bound port, or 0 for a Unix socket.</summary>
    public int Port => (LocalEndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>The bound address as the seed prints it: <c>0.0.0.0:PORT</c> for the default wildcard
    /// (dual-stack underneath), <c>[::]:PORT</c> when IPv6 was asked for, or the Unix path.</summary>
    public string DisplayName { get; }

    /// <summary>Number of datagrams being handled right now.</summary>
    public int InFlight => Volatile.Read(ref _handling);

    /// <summary>Datagrams dropped so far because <see cref="DatagramServerOptions.MaxInFlight"/> were in flight.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Binds now (no listen: datagram sockets have none), so bind errors surface here.</summary>
    /// <exception cref="SocketException">socket or bind failed.</exception>
    /// <exception cref="IOException">A Unix path is held by a live socket or a non-socket file.</exception>
    /// <exception cref="FormatException">The bind address does not parse.</exception>
    public static DatagramServer Bind(EndpointSpec endpoint, DatagramServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new DatagramServerOptions();
        if (options.MaxDatagramBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxDatagramBytes must be at least 1");
        if (options.MaxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxInFlight must be at least 1");
        AccessPolicy.CheckListener(endpoint, options.Access);
        var calls = SocketCalls.For(options.Trace);
        if (endpoint.IsUnix) UnixSocketPath.ClearStale(endpoint.UnixPath!, calls);
        Socket socket = SocketFactory.Bind(endpoint with { Type = SocketType.Dgram }, backlog: 0, calls);
        if (endpoint.IsUnix && options.UnixMode is { } mode) UnixSocketPath.SetMode(endpoint.UnixPath!, mode);
        return new DatagramServer(socket, calls, options, SocketFactory.DisplayName(endpoint, socket), endpoint.UnixPath);
    }

    /// <summary>
    /// Receives until <paramref name="stop"/> fires, then waits up to the grace period for in-flight handlers,
    /// aborts the rest, and closes the socket once every handler has finished.
    /// </summary>
    public async Task RunAsync(DatagramHandler handler, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var stopTelling = new CancellationTokenSource();
        Task telling = _options.OnDropped is null ? Task.CompletedTask : TellDroppedEverySecondAsync(stopTelling.Token);
        try
        {
            await ReceiveLoopAsync(handler, stop).ConfigureAwait(false);
        }
        finally
        {
            // Unlike a stream listener, this one socket also carries the answers: close it only once the
            // handlers still answering have finished (or been aborted).
            await _inFlight.DrainAsync(_options.ShutdownGrace).ConfigureAwait(false);
            Close();
            await stopTelling.CancelAsync().ConfigureAwait(false);
            await telling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            TellDropped();
        }
    }

    private async Task ReceiveLoopAsync(DatagramHandler handler, CancellationToken stop)
    {
        int max = _options.MaxDatagramBytes;
        // One spare byte detects a datagram longer than the limit: on Linux, .NET's ReceiveFrom drops the
        // tail silently (the kernel's MSG_TRUNC flag is only surfaced by ReceiveMessageFrom), while on Windows
        // it fails with WSAEMSGSIZE, handled below.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(max + 1);
        // recvfrom needs an address of the socket's family to fill in; the bound one serves as that template.
        EndPoint anySender = _socket.LocalEndPoint!;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _calls.ReceiveFromAsync(_socket, buffer.AsMemory(0, max + 1), anySender, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException && Volatile.Read(ref _closed) != 0)
                {
                    // DisposeAsync closed the socket under us: that is a stop, not a failure.
                    return;
                }
                catch (SocketException e) when (IsTransientReceiveError(e.SocketErrorCode))
                {
                    continue;
                }
                if (_options.Access is { IsOpen: false } access && !access.Admits(received.RemoteEndPoint, _options.OnRefused))
                    continue;
                if (Volatile.Read(ref _handling) >= _options.MaxInFlight)
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }
                int length = Math.Min(received.ReceivedBytes, max);
                byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                buffer.AsSpan(0, length).CopyTo(copy);
                var datagram = new ReceivedDatagram(_socket, _calls, copy.AsMemory(0, length), received.ReceivedBytes > max, received.RemoteEndPoint);
                Interlocked.Increment(ref _handling);
                _inFlight.Start(() => HandleAsync(datagram, copy, handler));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(ReceivedDatagram datagram, byte[] rented, DatagramHandler handler)
    {
        try
        {
            await handler(datagram, _inFlight.Abort).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!(e is OperationCanceledException && _inFlight.Aborted))
                _options.OnDatagramError?.Invoke(datagram, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            Interlocked.Decrement(ref _handling);
        }
    }

    private async Task TellDroppedEverySecondAsync(CancellationToken stop)
    {
        using var everySecond = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await everySecond.WaitForNextTickAsync(stop).ConfigureAwait(false))
            TellDropped();
    }

    // Called by the timer and once at shutdown (after the timer has stopped), never at the same time.
    private void TellDropped()
    {
        long dropped = Interlocked.Read(ref _dropped);
        if (dropped == _droppedTold) return;
        _options.OnDropped?.Invoke(dropped - _droppedTold);
        _droppedTold = dropped;
    }

    // Errors that concern one earlier datagram, not the socket: an ICMP "port unreachable" for a reply we sent
    // (reported on the next receive on Windows, WSAECONNRESET), or a datagram longer than the buffer (Windows).
    private static bool IsTransientReceiveError(SocketError error)
        => error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize
            or SocketError.Interrupted or SocketError.NoBufferSpaceAvailable;

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _calls.Close(_socket);
        if (_unixPathToRemove is not null) UnixSocketPath.Remove(_unixPathToRemove);
    }

    /// <summary>Closes the socket (and its Unix socket file). In-flight handlers are not waited for.</summary>
    public ValueTask DisposeAsync()
    {
        Close();
        _inFlight.Dispose();
        return ValueTask.CompletedTask;
    }
}
