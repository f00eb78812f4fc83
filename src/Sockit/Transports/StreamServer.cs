using System.Net;
using System.Net.Sockets;
using Sockit.Access;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>What a server does with one accepted connection. The connection is closed when it returns.</summary>
/// <param name="connection">The accepted connection.</param>
/// <param name="abort">Cancelled when the server gives up waiting for in-flight connections at shutdown.</param>
public delegate ValueTask ConnectionHandler(DuplexEnd connection, CancellationToken abort);

/// <summary>Settings for <see cref="StreamServer"/>.</summary>
public sealed record StreamServerOptions
{
    /// <summary>
    /// listen(2) backlog; the seed uses 5. Once the server holds <see cref="MaxConnections"/>, runs out of
    /// descriptors or finds this many clients already waiting at accept in a row (a burst overflowing the queue),
    /// it is raised to <see cref="StreamServer.WaitingRoomBacklog"/>, so that clients past the cap or the burst
    /// wait in the kernel's queue: with a full queue the kernel drops a new client's SYN, and that client
    /// retries only after TCP's 1 s retransmission timeout, however soon a slot frees.
    /// </summary>
    public int Backlog { get; init; } = 5;

    /// <summary>How long in-flight connections may run on after shutdown starts before they are aborted.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>Called when a handler throws; the server goes on serving the other clients.</summary>
    public Action<DuplexEnd, Exception>? OnConnectionError { get; init; }

    /// <summary>Permission bits for a Unix socket file; <c>null</c> leaves the umask's.</summary>
    public UnixFileMode? UnixMode { get; init; }

    /// <summary>
    /// Most connections handled at once; further clients wait in the listen backlog. <c>null</c> (the default)
    /// derives it from the process's descriptor limit, so that running out of descriptors cannot abort the process.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// Which clients are served (ncat's <c>--allow</c>/<c>--deny</c>); <c>null</c> serves everyone. A refused client is
    /// closed as soon as it is accepted, before any byte is read or sent, and holds no connection slot.
    /// </summary>
    public AccessPolicy? Access { get; init; }

    /// <summary>Told of every client <see cref="Access"/> refused: its address and the rule that decided. Must be thread-safe.</summary>
    public Action<EndPoint, AccessDecision>? OnRefused { get; init; }
}

/// <summary>
/// A listening stream socket that hands every accepted connection to a handler, concurrently, so a silent
/// client delays nobody. Shutdown stops accepting, lets in-flight connections finish within a grace period,
/// then aborts the rest. Works for TCP over IPv4, IPv6 (dual-stack by default) and Unix sockets alike.
/// </summary>
public sealed class StreamServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly SocketCalls _calls;
    private readonly StreamServerOptions _options;
    private readonly string? _unixPathToRemove;
    private readonly InFlightTasks _inFlight = new();
    private readonly SemaphoreSlim _slots;
    private TaskCompletionSource? _connectionEnded;
    private bool _backlogWidened;
    private int _waitingInARow;
    private int _disposed;

    private StreamServer(Socket listener, SocketCalls calls, StreamServerOptions options, string displayName, string? unixPath)
    {
        _listener = listener;
        _calls = calls;
        _options = options;
        _unixPathToRemove = unixPath;
        LocalEndPoint = listener.LocalEndPoint!;
        DisplayName = displayName;
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConnections ?? DescriptorBudget.Connections()));
    }

    /// <summary>
    /// The listen(2) backlog once the server is at its connection cap: Linux's default somaxconn (the kernel
    /// clamps it to the configured one).
    /// </summary>
    public const int WaitingRoomBacklog = 4096;

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>The bound port, or 0 for a Unix socket.</summary>
    public int Port => (LocalEndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>
    /// The listening address as the seed prints it: <c>0.0.0.0:PORT</c> for the default wildcard
    /// (dual-stack underneath), <c>[::]:PORT</c> when IPv6 was asked for, or the Unix path.
    /// </summary>
    public string DisplayName { get; }

    /// <summary>The listening socket, for the Linux event loop (<see cref="Linux.EventLoop"/>).</summary>
    internal Socket ListenerSocket => _listener;

    /// <summary>Stops the event loop serving this listener, when one does: it holds the descriptor until told.</summary>
    internal Action? StopLoop { get; set; }

    /// <summary>Number of connections being handled right now.</summary>
    public int ActiveConnections => _inFlight.Count;

    /// <summary>Binds and listens now, so bind errors surface here as <see cref="SocketException"/>.</summary>
    /// <exception cref="SocketException">socket, bind or listen failed.</exception>
    /// <exception cref="IOException">A Unix path is held by a live server or a non-socket file.</exception>
    /// <exception cref="FormatException">The bind address does not parse.</exception>
    public static StreamServer Listen(EndpointSpec endpoint, StreamServerOptions? options = null)
    {
        options ??= new StreamServerOptions();
        AccessPolicy.CheckListener(endpoint, options.Access);
        var calls = SocketCalls.For(options.Trace);
        if (endpoint.IsUnix) UnixSocketPath.ClearStale(endpoint.UnixPath!, calls);
        Socket listener = SocketFactory.Bind(endpoint with { Type = SocketType.Stream }, options.Backlog, calls);
        string? unixPath = null;
        if (endpoint.IsUnix)
        {
            if (options.UnixMode is { } mode) UnixSocketPath.SetMode(endpoint.UnixPath!, mode);
            unixPath = endpoint.UnixPath;
        }
        return new StreamServer(listener, calls, options, SocketFactory.DisplayName(endpoint, listener), unixPath);
    }

    /// <summary>
    /// Accepts until <paramref name="stop"/> fires, then drains: waits up to the grace period for in-flight
    /// connections, aborts the rest, and returns when every handler has finished.
    /// </summary>
    public async Task RunAsync(ConnectionHandler handler, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            await AcceptLoopAsync(handler, stop).ConfigureAwait(false);
        }
        finally
        {
            CloseListener();
            await _inFlight.DrainAsync(_options.ShutdownGrace).ConfigureAwait(false);
        }
    }

    private async Task AcceptLoopAsync(ConnectionHandler handler, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // A free slot first: at the cap, clients wait in the backlog rather than the process running dry.
            if (_slots.CurrentCount == 0) WidenBacklog();
            await _slots.WaitAsync(stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested) return;
            Socket? accepted = null;
            try
            {
                ValueTask<Socket> accepting = _calls.AcceptAsync(_listener, stop);
                NoteQueueDepth(accepting.IsCompleted);
                accepted = await accepting.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException && Volatile.Read(ref _disposed) != 0)
            {
                // DisposeAsync closed the listener under us: that is a stop, not a failure.
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TooManyOpenSockets)
            {
                // Out of descriptors below the cap (something else holds them): wait in the kernel's queue, as at
                // the cap, until a connection ends (freeing one) or, for descriptors freed elsewhere, 100 ms.
                // A stop during the pause is seen by the loop condition, not thrown as a failure of RunAsync.
                WidenBacklog();
                await WhenConnectionEndsAsync(TimeSpan.FromMilliseconds(100), stop).ConfigureAwait(false);
                continue;
            }
            catch (SocketException e) when (IsTransientAcceptError(e.SocketErrorCode))
            {
                // A client that gave up before we accepted it: keep serving.
                continue;
            }
            finally
            {
                if (accepted is null) _slots.Release();
            }
            if (_options.Access is { IsOpen: false } access && !access.Admits(accepted.RemoteEndPoint, _options.OnRefused))
            {
                _calls.Close(accepted);
                _slots.Release();
                continue;
            }
            long id = _inFlight.Claim();
            _inFlight.Track(id, HandleAsync(id, new SocketEnd(accepted, _calls), handler));
        }
    }

    // Tracked in-flight by this method itself (Claim/Finish) rather than through InFlightTasks.Start, whose
    // wrapper would be one more async state machine per connection.
    private async Task HandleAsync(long id, DuplexEnd connection, ConnectionHandler handler)
    {
        try
        {
            await Task.Yield(); // onto the thread pool, so a handler that completes synchronously cannot stall the accept loop
            try
            {
                await handler(connection, _inFlight.Abort).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (!(e is OperationCanceledException && _inFlight.Aborted))
                    _options.OnConnectionError?.Invoke(connection, e);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                _slots.Release();
                Interlocked.Exchange(ref _connectionEnded, null)?.TrySetResult();
            }
        }
        finally
        {
            _inFlight.Finish(id);
        }
    }

    private static bool IsTransientAcceptError(SocketError error)
        => error is SocketError.ConnectionAborted or SocketError.ConnectionReset
            or SocketError.Interrupted or SocketError.NoBufferSpaceAvailable;

    // A client already waiting at accept time means the queue is filling faster than it is served. As many in a
    // row as the seed's backlog mean a burst overflowed (or nearly) its queue: the kernel is dropping SYNs, and each
    // client dropped waits out TCP's 1 s retransmission, so the queue is widened as at the cap.
    private void NoteQueueDepth(bool clientWasWaiting)
    {
        _waitingInARow = clientWasWaiting ? _waitingInARow + 1 : 0;
        if (_waitingInARow >= _options.Backlog) WidenBacklog();
    }

    // Once, the first time the server is full or its queue overflows; calling listen(2) again on a listening socket only resizes its queue.
    internal void WidenBacklog()
    {
        if (_backlogWidened || _options.Backlog >= WaitingRoomBacklog) return;
        _backlogWidened = true;
        try
        {
            _calls.Listen(_listener, WaitingRoomBacklog);
        }
        catch (SocketException)
        {
            // The seed's queue stays; clients past it retry their SYN as before.
        }
    }

    private async Task WhenConnectionEndsAsync(TimeSpan atMost, CancellationToken stop)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.CompareExchange(ref _connectionEnded, ended, null);
        Task signal = Volatile.Read(ref _connectionEnded)?.Task ?? Task.CompletedTask;
        await signal.WaitAsync(atMost, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    internal void CloseListener()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _calls.Close(_listener);
        if (_unixPathToRemove is not null) UnixSocketPath.Remove(_unixPathToRemove);
    }

    /// <summary>Closes the listening socket (and its Unix socket file). In-flight connections are not waited for.</summary>
    public ValueTask DisposeAsync()
    {
        StopLoop?.Invoke();
        CloseListener();
        _inFlight.Dispose();
        // _slots is not disposed: handlers still finishing release into it.
        return ValueTask.CompletedTask;
    }
}
