using System.Runtime.Versioning;
using Sockit.Protocols.Grumpy;
using Sockit.Transports.Linux;
using static Sockit.Transports.Linux.LinuxSockets;

namespace Sockit.Protocols.Echo;

/// <summary>One echo connection's state on the event loop.</summary>
internal sealed class EchoConnection : LoopConnection
{
    public EchoConnection() => Idle = new DueLink(this);

    /// <summary>Bytes sent back so far (logged when the connection ends).</summary>
    public long Echoed;

    /// <summary>The unsent rest of a read, in <see cref="LoopConnection.Buffer"/> from here to <see cref="PendingEnd"/>.</summary>
    public int PendingStart, PendingEnd;

    /// <summary>Its place in the idle list, when the server has an idle timeout.</summary>
    public DueLink Idle { get; }

    public override void Clear()
    {
        DueList.Remove(Idle);
        Echoed = 0;
        PendingStart = PendingEnd = 0;
        base.Clear();
    }
}

/// <summary>
/// The echo protocol on the Linux <see cref="EventLoop"/>: each read goes into the loop's shared buffer and is sent
/// straight back. Only when the socket cannot take all of it does the connection rent a buffer for the rest; it
/// then waits for room and reads nothing meanwhile (backpressure), so an idle connection holds no memory and no
/// byte read is dropped. At the peer's half-close it half-closes too (everything read has been sent by then).
/// What the clients and the log see is <see cref="EchoHandler"/>'s on the portable path.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class EchoLoopProtocol : LoopProtocol
{
    // Reads served per readiness before the others get their turn (level-triggered epoll reports the rest again).
    private const int ReadsPerTurn = 16;

    private readonly TimeSpan? _idleTimeout;
    private readonly long _idleMs;
    private readonly DueList _idles;

    public EchoLoopProtocol(Action<string>? log, TimeSpan? idleTimeout) : base(log)
    {
        _idleTimeout = idleTimeout;
        _idleMs = idleTimeout is { } idle ? EventLoop.Milliseconds(idle) : -1;
        _idles = new DueList(TimedOut);
        Timers = [_idles];
    }

    public override IReadOnlyList<DueList> Timers { get; }

    /// <summary>
    /// A ping-pong client answers within tens of microseconds, so the loop polls that long rather than sleep and be
    /// woken (docs/benchmarks.md, "A bounded spin before epoll_wait").
    /// </summary>
    public override TimeSpan BusyPoll => DefaultBusyPoll;

    /// <summary>The echo loop's spin budget when <see cref="Hosting.HostOptions.BusyPoll"/> is not set.</summary>
    public static readonly TimeSpan DefaultBusyPoll = TimeSpan.FromMicroseconds(50);

    public override LoopConnection NewConnection() => new EchoConnection();

    public override void Opened(LoopConnection connection)
    {
        var c = (EchoConnection)connection;
        Moved(c);
        Echo(c); // data may have come with the handshake
    }

    public override void Ready(LoopConnection connection)
    {
        var c = (EchoConnection)connection;
        if (c.Buffer is null || SendPending(c)) Echo(c);
    }

    private void Echo(EchoConnection c)
    {
        byte[] scratch = Loop.Scratch;
        for (int reads = 0; reads < ReadsPerTurn; reads++)
        {
            int n = Loop.Receive(c, scratch);
            if (n < 0) return; // waits for input, or failed
            if (n == 0)
            {
                PeerClosed(c);
                return;
            }
            int sent = SendNow(c, scratch.AsSpan(0, n));
            if (sent < 0) return;
            Moved(c);
            if (sent < n)
            {
                // The socket is full: keep the rest and wait for room (the loop watches for it), reading nothing more until it has gone.
                scratch.AsSpan(sent, n - sent).CopyTo(c.RentBuffer(n - sent));
                c.PendingStart = 0;
                c.PendingEnd = n - sent;
                return;
            }
            // A read that did not fill the buffer has (almost always) drained the socket: rather than a recv that
            // would only say EAGAIN, wait; level-triggered epoll reports whatever came meanwhile, EOF included.
            if (n < scratch.Length) break;
        }
        Loop.Watch(c, EpollIn);
    }

    // True when the rest has all gone (reading may resume); false when it waits for room again or failed.
    private bool SendPending(EchoConnection c)
    {
        byte[] pending = c.Buffer!;
        int sent = SendNow(c, pending.AsSpan(c.PendingStart, c.PendingEnd - c.PendingStart));
        if (sent < 0) return false;
        if (sent > 0) Moved(c);
        c.PendingStart += sent;
        if (c.PendingStart < c.PendingEnd) return false;
        c.ReturnBuffer();
        c.PendingStart = c.PendingEnd = 0;
        return true;
    }

    // One send: the bytes taken (fewer when the socket is full), or -1 after failing the connection.
    private int SendNow(EchoConnection c, ReadOnlySpan<byte> data)
    {
        int n = Loop.Send(c, data);
        if (n > 0) c.Echoed += n;
        return n;
    }

    // The peer half-closed and everything it sent has been sent back: half-close ours and end, as EchoHandler does.
    private void PeerClosed(EchoConnection c)
    {
        _ = Shutdown(c.Fd, ShutWrite);
        Log?.Invoke(EchoHandler.Echoed(c.Name, c.Echoed));
        Loop.Finish(c);
    }

    // A byte moved one way or the other: the idle timeout starts again.
    private void Moved(EchoConnection c)
    {
        if (_idleMs >= 0) _idles.Append(c.Idle, Environment.TickCount64 + _idleMs);
    }

    // No read or write moved a byte for the idle timeout: dropped without half-closing, as EchoHandler does.
    private void TimedOut(LoopConnection connection)
    {
        var c = (EchoConnection)connection;
        if (Log is { } log)
        {
            log(GrumpyText.Idle(c.Name, _idleTimeout!.Value, answered: false));
            log(EchoHandler.Echoed(c.Name, c.Echoed));
        }
        Loop.Finish(c);
    }
}
