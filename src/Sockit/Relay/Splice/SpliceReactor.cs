using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Sockit.Transports.Linux;

namespace Sockit.Relay.Splice;

/// <summary>
/// Readiness for spliced descriptors: one epoll instance and one thread for the whole process, edge-triggered,
/// each descriptor registered once while a direction splices it. The runtime's own socket engine cannot wait
/// for "writable" without a send, and knows nothing of pipes, hence this. A wake runs the waiting direction on
/// this thread until its next EAGAIN (every call it makes is non-blocking), as an event loop would.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SpliceReactor
{
    private const int CloseOnExec = 0x80000, Add = 1, Delete = 2, MostEvents = 64;
    private const uint In = 0x1, Out = 0x4, Error = 0x8, HangUp = 0x10, ReadHangUp = 0x2000, EdgeTriggered = 1u << 31;

    private static readonly Lazy<SpliceReactor> s_shared = new(() => new SpliceReactor());

    private readonly int _epoll;
    private readonly ConcurrentDictionary<long, Readiness> _registered = new();
    private long _lastId;

    private SpliceReactor()
    {
        _epoll = LinuxSockets.EpollCreate(CloseOnExec);
        if (_epoll < 0) throw new IOException($"epoll_create1: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        new Thread(Run) { IsBackground = true, Name = "sockit splice" }.Start();
    }

    /// <summary>The reactor's epoll descriptor.</summary>
    public int Epoll => _epoll;

    /// <summary>The process's reactor, started on first use.</summary>
    /// <exception cref="IOException">epoll_create1 failed.</exception>
    public static SpliceReactor Shared => s_shared.Value;

    /// <summary>Starts watching <paramref name="fd"/> (a socket or a pipe) for both readiness kinds.</summary>
    /// <exception cref="IOException">epoll_ctl refused it.</exception>
    public Readiness Register(int fd)
    {
        var readiness = new Readiness(Interlocked.Increment(ref _lastId), fd);
        _registered[readiness.Id] = readiness;
        if (!LinuxSockets.Control(_epoll, Add, fd, In | Out | ReadHangUp | EdgeTriggered, (ulong)readiness.Id))
        {
            int errno = Marshal.GetLastPInvokeError();
            _registered.TryRemove(readiness.Id, out _);
            throw new IOException($"epoll_ctl: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return readiness;
    }

    /// <summary>Stops watching (before the descriptor closes); an edge already fetched for it is dropped.</summary>
    public void Unregister(Readiness readiness)
    {
        _ = LinuxSockets.Control(_epoll, Delete, readiness.Fd, 0, 0);
        _registered.TryRemove(readiness.Id, out _);
    }

    private void Run()
    {
        byte[] events = new byte[MostEvents * LinuxSockets.EpollEventSize];
        while (true)
        {
            int n = LinuxSockets.Wait(_epoll, events, -1);
            if (n < 0) continue; // EINTR; no other failure is possible with valid arguments
            for (int i = 0; i < n; i++)
            {
                uint mask = LinuxSockets.EventsAt(events, i);
                if (_registered.TryGetValue((long)LinuxSockets.DataAt(events, i), out Readiness? readiness))
                {
                    if ((mask & (In | ReadHangUp | HangUp | Error)) != 0) readiness.Readable.Signal();
                    if ((mask & (Out | HangUp | Error)) != 0) readiness.Writable.Signal();
                }
            }
        }
    }
}

/// <summary>One registered descriptor: its readable and writable waiters.</summary>
internal sealed class Readiness(long id, int fd)
{
    public long Id { get; } = id;

    public int Fd { get; } = fd;

    public ReadinessWaiter Readable { get; } = new();

    public ReadinessWaiter Writable { get; } = new();
}
