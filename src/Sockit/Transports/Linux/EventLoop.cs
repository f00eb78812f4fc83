using System.Net.Sockets;
using System.Runtime.Versioning;
using Sockit.Diagnostics;
using Sockit.Hosting;
using Sockit.Protocols.Grumpy;
using static Sockit.Transports.Linux.LinuxSockets;

namespace Sockit.Transports.Linux;

/// <summary>
/// A stream server's Linux path: one thread, one epoll set and raw descriptors, as the C reference server does
/// it. Per connection there is no <see cref="Socket"/>, task, token source or timer: the state is a pooled
/// <see cref="LoopConnection"/> of the <see cref="LoopProtocol"/> (grumpy, echo), its timeouts are places in the
/// protocol's <see cref="DueList"/>s, and reads go into the loop's one shared buffer. The loop accepts (accept4,
/// up to the connection cap, pausing when out of descriptors), logs each <c>RECEIVED CONNECTION FROM</c> (to the
/// protocol's log) and <c>FAILED</c> line (to the host's) as <see cref="StreamHost"/> and its handlers do, and on stop closes the listener, lets connections finish
/// within the grace and then closes the rest, as <see cref="StreamServer.RunAsync"/> does.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class EventLoop
{
    private const int MaxEvents = 256, EpollCloexec = 0x80000, PooledStates = 4096;

    private readonly StreamServer _server;
    private readonly LoopProtocol _protocol;
    private readonly IReadOnlyList<DueList> _timers;
    private readonly Socket _listener;
    private readonly int _listenerFd;
    private readonly int _cap;
    private readonly int _backlog;
    private readonly long _graceMs;
    private readonly byte[] _events = new byte[MaxEvents * EpollEventSize];
    private readonly byte[] _address = new byte[128];
    private readonly Stack<LoopConnection> _pool = new();
    private readonly PeerNames _peerNames = new();
    private readonly Lock _gate = new();
    private readonly BusyPoll _busyPoll;
    private LoopConnection?[] _byFd = new LoopConnection?[1024];
    private int _epoll = -1, _wake = -1, _active;
    private volatile bool _stopRequested;
    private bool _stopping, _listening, _listenerHeld;
    private long _graceEnd, _resumeAcceptAt = long.MaxValue;
    private long _allocated;
    private int _threadId;

    public EventLoop(StreamServer server, LoopProtocol protocol, HostOptions options)
    {
        _server = server;
        _protocol = protocol;
        _timers = protocol.Timers;
        Log = options.Log;
        _listener = server.ListenerSocket;
        _listenerFd = (int)_listener.SafeHandle.DangerousGetHandle();
        _cap = Math.Max(1, options.MaxConnections ?? DescriptorBudget.Connections());
        _backlog = options.Backlog;
        _graceMs = Milliseconds(options.ShutdownGrace);
        _busyPoll = new BusyPoll(BusyPoll.Budget(options.BusyPoll, protocol.BusyPoll));
        protocol.Attach(this);
        server.StopLoop = Stop; // a Dispose of the server stops the loop, which holds the listener's descriptor
    }

    /// <summary>
    /// Whether a listener set up as <paramref name="options"/> say can be served here: plain TCP with no TLS, trace
    /// or access lists (those need the socket objects and stay on the portable path), unless <c>SOCKIT_PORTABLE=1</c>
    /// (or <see cref="HostOptions.Portable"/>) asks for the portable path anyway.
    /// </summary>
    public static bool Serves(HostOptions options)
        => !options.Portable && options.Tls is null && options.Trace is null && options.Access is null or { IsOpen: true } && !options.Endpoint.IsUnix
           && Environment.GetEnvironmentVariable("SOCKIT_PORTABLE") != "1";

    /// <summary>The loop's one read buffer: what a read brings is handled before the next read, by whichever connection made it.</summary>
    public byte[] Scratch { get; } = new byte[64 * 1024];

    /// <summary>Where the host's lines go (a failed connection); null logs nothing.</summary>
    public Action<string>? Log { get; }

    /// <summary>Bytes allocated on the loop's thread so far (as of its last turn): every connection is served there.</summary>
    public long AllocatedBytes => Volatile.Read(ref _allocated);

    /// <summary>The loop thread's id in the kernel (<c>/proc/self/task/ID</c>, for its CPU time); 0 until it runs.</summary>
    public int ThreadId => Volatile.Read(ref _threadId);

    /// <summary>Serves until <paramref name="stop"/> fires or <see cref="Stop"/> is called, then drains as <see cref="StreamServer.RunAsync"/> does.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _epoll = EpollCreate(EpollCloexec);
            _wake = EventFd(0, SockNonBlock | SockCloexec);
            if (_epoll < 0 || _wake < 0) throw new SocketException((int)ToSocketError(Errno));
            _listener.Blocking = false;
            _listener.SafeHandle.DangerousAddRef(ref _listenerHeld); // the descriptor outlives a Dispose of the Socket until we let go
            Control(_epoll, EpollAdd, _wake, EpollIn);
            StartAccepting();
        }
        catch
        {
            Cleanup();
            throw;
        }
        using CancellationTokenRegistration stopping = stop.UnsafeRegister(static s => ((EventLoop)s!).Stop(), this);
        var thread = new Thread(() =>
        {
            Exception? failure = null;
            try
            {
                Volatile.Write(ref _threadId, CurrentThreadId());
                Loop();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                Cleanup();
            }
            if (failure is null) done.SetResult();
            else done.SetException(failure);
        }) { IsBackground = true, Name = "sockit event loop" };
        thread.Start();
        await done.Task.ConfigureAwait(false);
    }

    /// <summary>Stops accepting and starts the drain (from any thread; the listener closes on the loop's thread).</summary>
    public void Stop()
    {
        _stopRequested = true;
        lock (_gate)
        {
            if (_wake >= 0) Signal(_wake);
        }
    }

    /// <summary>Registers (or changes) what epoll watches for <paramref name="c"/>; level-triggered.</summary>
    public void Watch(LoopConnection c, uint events)
    {
        if (c.Watching == events) return;
        Control(_epoll, c.Watching == 0 ? EpollAdd : EpollModify, c.Fd, events);
        c.Watching = events;
    }

    /// <summary>
    /// recv(2) on <paramref name="c"/>: the bytes read (0 at end of input), or -1 when there is nothing to read now
    /// (epoll then watches it for input) or the call failed (it has then been failed and closed).
    /// </summary>
    public int Receive(LoopConnection c, Span<byte> into)
    {
        while (true)
        {
            int n = LinuxSockets.Receive(c.Fd, into);
            if (n >= 0) return n;
            int errno = Errno;
            if (errno == EINTR) continue;
            if (errno == EAGAIN) Watch(c, EpollIn);
            else Fail(c, errno);
            return -1;
        }
    }

    /// <summary>
    /// send(2) on <paramref name="c"/>: the bytes taken, fewer than offered (0 included) when the socket is full (epoll
    /// then watches it for room; a second try would only say EAGAIN), or -1 when the call failed (it has then been
    /// failed and closed).
    /// </summary>
    public int Send(LoopConnection c, ReadOnlySpan<byte> data)
    {
        while (true)
        {
            int n = LinuxSockets.Send(c.Fd, data);
            int errno = n < 0 ? Errno : 0;
            if (errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN)
            {
                Fail(c, errno);
                return -1;
            }
            n = Math.Max(n, 0);
            if (n < data.Length) Watch(c, EpollOut);
            return n;
        }
    }

    /// <summary>Logs <c>CONNECTION FROM ... FAILED: why</c> for a failed call, as the portable host's error callback does, and closes.</summary>
    public void Fail(LoopConnection c, int errno)
    {
        Log?.Invoke(GrumpyText.Failed(c.Name, SocketNames.Describe(ToSocketError(errno))));
        Finish(c);
    }

    /// <summary>Closes the connection and gives its state back to the pool. close(2) also takes it out of the epoll set.</summary>
    public void Finish(LoopConnection c)
    {
        _ = Close(c.Fd);
        _byFd[c.Fd] = null;
        c.Clear();
        if (_pool.Count < PooledStates) _pool.Push(c);
        _active--;
        if (!_listening && !_stopping) _resumeAcceptAt = 0; // a slot (and a descriptor) is free again
    }

    private void Loop()
    {
        while (true)
        {
            long now = Environment.TickCount64;
            if (_stopRequested && !_stopping) BeginStop(now);
            if (_stopping && (_active == 0 || now >= _graceEnd)) return; // Cleanup closes (aborts) whatever is left
            if (!_listening && !_stopping && _active < _cap && now >= _resumeAcceptAt) StartAccepting();
            Volatile.Write(ref _allocated, GC.GetAllocatedBytesForCurrentThread());
            int n = _busyPoll.Wait(_epoll, _events, NextTimeout(now));
            if (n < 0)
            {
                int errno = Errno;
                if (errno == EINTR) continue;
                throw new SocketException((int)ToSocketError(errno));
            }
            for (int i = 0; i < n; i++)
            {
                int fd = FdAt(_events, i);
                if (fd == _wake) Drain(_wake);
                else if (fd == _listenerFd) { if (_listening) AcceptAll(); }
                else if (fd < _byFd.Length && _byFd[fd] is { } connection) _protocol.Ready(connection);
            }
            now = Environment.TickCount64;
            for (int i = 0; i < _timers.Count; i++) _timers[i].Expire(now);
        }
    }

    private int NextTimeout(long now)
    {
        long due = long.MaxValue;
        for (int i = 0; i < _timers.Count; i++)
            if (_timers[i].First is { } first) due = Math.Min(due, first.Due);
        if (_stopping) due = Math.Min(due, _graceEnd);
        else if (!_listening) due = Math.Min(due, _resumeAcceptAt);
        return due == long.MaxValue ? -1 : (int)Math.Clamp(due - now, 0, int.MaxValue);
    }

    private void StartAccepting()
    {
        if (!Control(_epoll, EpollAdd, _listenerFd, EpollIn)) throw new SocketException((int)ToSocketError(Errno));
        _listening = true;
        _resumeAcceptAt = long.MaxValue;
    }

    // Until a connection ends (at the cap) or until `until` (out of descriptors), as the portable accept loop waits.
    private void PauseAccepting(long until)
    {
        _server.WidenBacklog();
        if (_listening) Control(_epoll, EpollDelete, _listenerFd, 0);
        _listening = false;
        _resumeAcceptAt = until;
    }

    private void AcceptAll()
    {
        int waiting = 0;
        while (_active < _cap)
        {
            int fd = Accept(_listenerFd, _address, out int length);
            if (fd < 0)
            {
                int errno = Errno;
                if (errno == EAGAIN) return;
                if (errno is ECONNABORTED or ECONNRESET or EINTR or ENOBUFS) continue; // a client that gave up: keep serving
                PauseAccepting(Environment.TickCount64 + 100); // EMFILE, ENFILE, ENOMEM, ...: wait in the kernel's queue
                return;
            }
            // As many clients waiting in a row as the seed's backlog: a burst is overflowing the queue.
            if (++waiting >= _backlog) _server.WidenBacklog();
            Open(fd, _address.AsSpan(0, Math.Min(length, _address.Length)));
        }
        PauseAccepting(long.MaxValue);
    }

    private void Open(int fd, ReadOnlySpan<byte> address)
    {
        _active++;
        LoopConnection c = _pool.Count > 0 ? _pool.Pop() : _protocol.NewConnection();
        c.Fd = fd;
        if (fd >= _byFd.Length) Array.Resize(ref _byFd, Math.Max(fd + 1, _byFd.Length * 2));
        _byFd[fd] = c;
        if (Log is not null || _protocol.Log is not null)
        {
            _peerNames.Name(c, address);
            _protocol.Log?.Invoke(GrumpyText.Received(c.Name));
        }
        _protocol.Opened(c);
    }

    private void BeginStop(long now)
    {
        _stopping = true;
        if (_listening) Control(_epoll, EpollDelete, _listenerFd, 0);
        _listening = false;
        ReleaseListener();
        _graceEnd = now + _graceMs;
    }

    private void ReleaseListener()
    {
        if (_listenerHeld)
        {
            _listenerHeld = false;
            _listener.SafeHandle.DangerousRelease();
        }
        _server.CloseListener();
    }

    // After the loop (or a failed start): the listener closes, connections still open are aborted (closed
    // unanswered and unlogged, as the portable path's abort does), and the loop's own descriptors go.
    private void Cleanup()
    {
        ReleaseListener();
        foreach (LoopConnection? c in _byFd)
            if (c is not null) Finish(c);
        if (_epoll >= 0) _ = Close(_epoll);
        _epoll = -1;
        lock (_gate)
        {
            if (_wake >= 0) _ = Close(_wake);
            _wake = -1;
        }
    }

    /// <summary>A span as whole milliseconds (rounded up), for the timer lists.</summary>
    public static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(Math.Max(0, span.TotalMilliseconds));
}
