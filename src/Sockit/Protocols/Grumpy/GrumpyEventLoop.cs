using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Sockit.Diagnostics;
using Sockit.Transports;
using static Sockit.Transports.Linux.LinuxSockets;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// The grumpy server's Linux path: one thread, one epoll set and raw descriptors, as the C reference server
/// does it. Per connection there is no <see cref="Socket"/>, task, token source or timer: the state is a pooled
/// <see cref="GrumpyConnection"/>, the timeouts are places in three <see cref="DueList"/>s, and a message that
/// arrives in one read is read into the loop's own buffer (a per-connection one is rented only for a message
/// that takes more reads). What the clients and the log see is the portable path's (<see cref="GrumpyServer"/>).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class GrumpyEventLoop
{
    private const long LingerMs = 2000; // GrumpyServer's LingerLimit
    private const int MaxEvents = 256, EpollCloexec = 0x80000, PooledStates = 4096;

    private readonly StreamServer _server;
    private readonly GrumpyServerOptions _options;
    private readonly byte[] _reply;
    private readonly Action<string>? _log;
    private readonly Socket _listener;
    private readonly int _listenerFd;
    private readonly int _cap;
    private readonly long _timeoutMs;
    private readonly long _idleMs;
    private readonly byte[] _scratch = new byte[64 * 1024];
    private readonly byte[] _events = new byte[MaxEvents * EpollEventSize];
    private readonly byte[] _address = new byte[128];
    private readonly Stack<GrumpyConnection> _pool = new();
    private readonly DueList _deadlines = new(), _idles = new(), _lingers = new();
    private readonly Lock _gate = new();
    private GrumpyConnection?[] _byFd = new GrumpyConnection?[1024];
    private int _epoll = -1, _wake = -1, _active;
    private volatile bool _stopRequested;
    private bool _stopping, _listening, _listenerHeld;
    private long _graceEnd, _resumeAcceptAt = long.MaxValue;
    private long _allocated;

    public GrumpyEventLoop(StreamServer server, GrumpyServerOptions options, byte[] reply)
    {
        _server = server;
        _options = options;
        _reply = reply;
        _log = options.Log;
        _listener = server.ListenerSocket;
        _listenerFd = (int)_listener.SafeHandle.DangerousGetHandle();
        _cap = Math.Max(1, options.MaxConnections ?? DescriptorBudget.Connections());
        _timeoutMs = Milliseconds(options.MessageTimeout);
        _idleMs = options.IdleTimeout is { } idle && idle < options.MessageTimeout ? Milliseconds(idle) : -1;
    }

    /// <summary>
    /// Whether <paramref name="options"/> can be served here: plain TCP with no TLS, trace or access lists (those
    /// need the socket objects and stay on the portable path), unless <c>SOCKIT_PORTABLE=1</c> asks for it anyway.
    /// </summary>
    public static bool Serves(GrumpyServerOptions options)
        => !options.Portable && options.Tls is null && options.Trace is null && options.Access is null or { IsOpen: true } && !options.Endpoint.IsUnix
           && Environment.GetEnvironmentVariable("SOCKIT_PORTABLE") != "1";

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
        using CancellationTokenRegistration stopping = stop.UnsafeRegister(static s => ((GrumpyEventLoop)s!).Stop(), this);
        var thread = new Thread(() =>
        {
            Exception? failure = null;
            try
            {
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
        }) { IsBackground = true, Name = "sockit grumpy loop" };
        thread.Start();
        await done.Task.ConfigureAwait(false);
    }

    /// <summary>Bytes allocated on the loop's thread so far (as of its last turn): every connection is served there.</summary>
    public long AllocatedBytes => Volatile.Read(ref _allocated);

    /// <summary>Stops accepting and starts the drain (from any thread; the listener closes on the loop's thread).</summary>
    public void Stop()
    {
        _stopRequested = true;
        lock (_gate)
        {
            if (_wake >= 0) Signal(_wake);
        }
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
            int n = Wait(_epoll, _events, NextTimeout(now));
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
                else if (fd < _byFd.Length && _byFd[fd] is { } connection) Service(connection);
            }
            Expire(Environment.TickCount64);
        }
    }

    private int NextTimeout(long now)
    {
        long due = long.MaxValue;
        if (_deadlines.First is { } d) due = Math.Min(due, d.Due);
        if (_idles.First is { } i) due = Math.Min(due, i.Due);
        if (_lingers.First is { } l) due = Math.Min(due, l.Due);
        if (_stopping) due = Math.Min(due, _graceEnd);
        else if (!_listening) due = Math.Min(due, _resumeAcceptAt);
        return due == long.MaxValue ? -1 : (int)Math.Clamp(due - now, 0, int.MaxValue);
    }

    private void Expire(long now)
    {
        while (_deadlines.First is { } d && d.Due <= now) GiveUp(d.Owner);
        while (_idles.First is { } i && i.Due <= now) GiveUp(i.Owner);
        while (_lingers.First is { } l && l.Due <= now) EndLinger(l.Owner);
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
            if (++waiting >= _options.Backlog) _server.WidenBacklog();
            Open(fd, _address.AsSpan(0, Math.Min(length, _address.Length)));
        }
        PauseAccepting(long.MaxValue);
    }

    private void Open(int fd, ReadOnlySpan<byte> address)
    {
        _active++;
        GrumpyConnection c = _pool.Count > 0 ? _pool.Pop() : new GrumpyConnection();
        c.Fd = fd;
        if (fd >= _byFd.Length) Array.Resize(ref _byFd, Math.Max(fd + 1, _byFd.Length * 2));
        _byFd[fd] = c;
        if (_log is not null)
        {
            EndPoint? peer = PeerOf(address);
            c.Name = SocketNames.EndPoint(peer);
            c.PeerHost = SocketNames.Host(peer);
            _log(GrumpyText.Received(c.Name));
        }
        long now = Environment.TickCount64;
        _deadlines.Append(c.Deadline, now + _timeoutMs);
        if (_idleMs >= 0) _idles.Append(c.Idle, now + _idleMs);
        ReadMessage(c); // the hello often arrived with the handshake: read before waiting
    }

    private void Service(GrumpyConnection c)
    {
        switch (c.Stage)
        {
            case GrumpyStage.Reading: ReadMessage(c); break;
            case GrumpyStage.Sending: SendReply(c); break;
            default: Linger(c); break;
        }
    }

    private void ReadMessage(GrumpyConnection c)
    {
        int limit = _options.MaxMessageBytes;
        while (true)
        {
            byte[]? buffer = c.Buffer;
            Span<byte> into = buffer is null ? _scratch.AsSpan(0, Math.Min(limit, _scratch.Length)) : buffer.AsSpan(c.Filled, limit - c.Filled);
            int n = Receive(c.Fd, into);
            if (n < 0)
            {
                int errno = Errno;
                if (errno == EINTR) continue;
                if (errno == EAGAIN) Watch(c, EpollIn);
                else Fail(c, errno);
                return;
            }
            if (n == 0)
            {
                Answer(c, buffer is null ? default : buffer.AsSpan(0, c.Filled), new MessageRead(c.Filled, 0, MessageEnd.PeerClosed));
                return;
            }
            int newline = into[..n].IndexOf((byte)'\n');
            int before = c.Filled;
            c.Filled += n;
            ReadOnlySpan<byte> filled = buffer is null ? into[..n] : buffer.AsSpan(0, c.Filled);
            if (newline >= 0)
            {
                int length = before + newline + 1;
                Answer(c, filled[..length], new MessageRead(length, c.Filled - length, MessageEnd.Newline));
                return;
            }
            if (c.Filled == limit)
            {
                Answer(c, filled, new MessageRead(c.Filled, 0, MessageEnd.Limit));
                return;
            }
            if (buffer is null)
            {
                // More reads to come: from here on the message needs a buffer of its own.
                c.Buffer = ArrayPool<byte>.Shared.Rent(limit);
                into[..n].CopyTo(c.Buffer);
            }
            if (_idleMs >= 0)
            {
                DueList.Remove(c.Idle);
                _idles.Append(c.Idle, Environment.TickCount64 + _idleMs);
            }
        }
    }

    // The message deadline or the idle limit passed: answer with what arrived, as the portable path does.
    private void GiveUp(GrumpyConnection c)
    {
        MessageEnd end = _idleMs < 0 || c.Deadline.Due <= c.Idle.Due ? MessageEnd.TimedOut : MessageEnd.Silent;
        Answer(c, c.Buffer is { } b ? b.AsSpan(0, c.Filled) : default, new MessageRead(c.Filled, 0, end));
    }

    private void Answer(GrumpyConnection c, ReadOnlySpan<byte> message, MessageRead read)
    {
        DueList.Remove(c.Deadline);
        DueList.Remove(c.Idle);
        c.Read = read;
        if (_log is not null) GrumpyServer.LogMessage(_log, _options, c.Name, c.PeerHost, message, read);
        ReturnBuffer(c);
        c.Stage = GrumpyStage.Sending;
        SendReply(c);
    }

    private void SendReply(GrumpyConnection c)
    {
        while (c.Sent < _reply.Length)
        {
            int n = Send(c.Fd, _reply.AsSpan(c.Sent));
            if (n < 0)
            {
                int errno = Errno;
                if (errno == EINTR) continue;
                if (errno == EAGAIN) Watch(c, EpollOut);
                else Fail(c, errno);
                return;
            }
            c.Sent += n;
        }
        _ = Shutdown(c.Fd, ShutWrite);
        if (c.Read.End is not (MessageEnd.Newline or MessageEnd.Limit))
        {
            Finish(c);
            return;
        }
        // Read and discard until the client closes, for at most the linger limit (see GrumpyServer.LingerLimit).
        c.Stage = GrumpyStage.Lingering;
        _lingers.Append(c.Deadline, Environment.TickCount64 + LingerMs);
        Watch(c, EpollIn);
    }

    private void Linger(GrumpyConnection c)
    {
        while (true)
        {
            int n = Receive(c.Fd, _scratch);
            if (n > 0)
            {
                c.Unread += n;
                continue;
            }
            if (n < 0 && Errno == EINTR) continue;
            if (n < 0 && Errno == EAGAIN) return;
            EndLinger(c); // closed, or reset after reading the reply: nothing more to do
            return;
        }
    }

    private void EndLinger(GrumpyConnection c)
    {
        if (_log is not null && c.Read.End == MessageEnd.Newline && c.Read.Extra + c.Unread > 0)
            _log(GrumpyText.Ignored(c.Name, c.Read.Extra + c.Unread));
        Finish(c);
    }

    private void Fail(GrumpyConnection c, int errno)
    {
        _log?.Invoke(GrumpyText.Failed(c.Name, SocketNames.Describe(ToSocketError(errno))));
        Finish(c);
    }

    private void Watch(GrumpyConnection c, uint events)
    {
        if (c.Watching == events) return;
        Control(_epoll, c.Watching == 0 ? EpollAdd : EpollModify, c.Fd, events);
        c.Watching = events;
    }

    // close(2) also takes the descriptor out of the epoll set: no EPOLL_CTL_DEL first.
    private void Finish(GrumpyConnection c)
    {
        DueList.Remove(c.Deadline);
        DueList.Remove(c.Idle);
        _ = Close(c.Fd);
        _byFd[c.Fd] = null;
        ReturnBuffer(c);
        c.Clear();
        if (_pool.Count < PooledStates) _pool.Push(c);
        _active--;
        if (!_listening && !_stopping) _resumeAcceptAt = 0; // a slot (and a descriptor) is free again
    }

    private static void ReturnBuffer(GrumpyConnection c)
    {
        if (c.Buffer is null) return;
        ArrayPool<byte>.Shared.Return(c.Buffer);
        c.Buffer = null;
    }

    private void BeginStop(long now)
    {
        _stopping = true;
        if (_listening) Control(_epoll, EpollDelete, _listenerFd, 0);
        _listening = false;
        ReleaseListener();
        _graceEnd = now + Milliseconds(_options.ShutdownGrace);
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
    // unanswered, as the portable path's abort does), and the loop's own descriptors go.
    private void Cleanup()
    {
        ReleaseListener();
        foreach (GrumpyConnection? c in _byFd)
            if (c is not null) Finish(c);
        if (_epoll >= 0) _ = Close(_epoll);
        _epoll = -1;
        lock (_gate)
        {
            if (_wake >= 0) _ = Close(_wake);
            _wake = -1;
        }
    }

    private static EndPoint? PeerOf(ReadOnlySpan<byte> address)
    {
        if (address.Length < 4) return null;
        int port = address[2] << 8 | address[3];
        return MemoryMarshal.Read<ushort>(address) switch
        {
            2 when address.Length >= 8 => new IPEndPoint(new IPAddress(address.Slice(4, 4)), port),
            10 when address.Length >= 28 => new IPEndPoint(new IPAddress(address.Slice(8, 16), MemoryMarshal.Read<uint>(address[24..])), port),
            _ => null,
        };
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(Math.Max(0, span.TotalMilliseconds));
}
