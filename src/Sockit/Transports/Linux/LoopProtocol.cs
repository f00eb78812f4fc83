using System.Runtime.Versioning;

namespace Sockit.Transports.Linux;

/// <summary>
/// What one protocol does on an <see cref="EventLoop"/>: its per-connection state, what it does once a
/// connection is accepted (after the loop has logged <c>RECEIVED CONNECTION FROM ...</c>) and whenever epoll
/// reports it ready, and the timer lists it keeps. The loop owns accepting, the epoll set, the connection
/// pool, the timers' waiting and stop and drain; every call comes on the loop's one thread.
/// </summary>
[SupportedOSPlatform("linux")]
internal abstract class LoopProtocol
{
    private EventLoop? _loop;

    /// <param name="log">Where the protocol's lines go (the loop logs <c>RECEIVED CONNECTION FROM</c> there); null logs nothing.</param>
    protected LoopProtocol(Action<string>? log) => Log = log;

    /// <summary>Where the protocol's lines go; null when nobody listens (then no line is even formatted).</summary>
    public Action<string>? Log { get; }

    /// <summary>The loop this protocol runs on (set when the loop is built).</summary>
    protected EventLoop Loop => _loop ?? throw new InvalidOperationException("not attached to a loop");

    internal void Attach(EventLoop loop) => _loop = loop;

    /// <summary>The protocol's timer lists; the loop waits for their heads and expires them.</summary>
    public abstract IReadOnlyList<DueList> Timers { get; }

    /// <summary>
    /// How long the loop polls without sleeping after a turn that did work, unless <see cref="Hosting.HostOptions.BusyPoll"/>
    /// says otherwise (see <see cref="Linux.BusyPoll"/>); none by default.
    /// </summary>
    public virtual TimeSpan BusyPoll => TimeSpan.Zero;

    /// <summary>A new connection state (the loop pools and reuses them).</summary>
    public abstract LoopConnection NewConnection();

    /// <summary>A connection was just accepted (non-blocking, not yet in the epoll set).</summary>
    public abstract void Opened(LoopConnection connection);

    /// <summary>epoll reported what the connection waits for (or an error or hang-up, which the next call will see).</summary>
    public abstract void Ready(LoopConnection connection);
}

/// <summary>
/// A connection handler's target that can also serve on the Linux <see cref="EventLoop"/>: <see cref="Hosting.StreamHost"/>
/// runs the loop instead of the handler when the listener allows it (see <see cref="EventLoop.Serves"/>).
/// </summary>
internal interface ILoopServed
{
    [SupportedOSPlatform("linux")]
    LoopProtocol CreateLoopProtocol();
}
