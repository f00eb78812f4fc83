using System.Globalization;
using System.Runtime.Versioning;
using Sockit.Transports.Linux;

namespace Sockit.Relay.Splice;

/// <summary>
/// A socket's registration with the runtime's own socket engine: once .NET has waited on a socket it watches it
/// in its epoll instance (read and write, edge-triggered) until the socket closes, and hands every edge to the
/// thread pool even when no operation waits for it. While a direction splices, the edges of what it reads or
/// writes are the reactor's business alone; relayed, that was about 600 thread-pool wake-ups per GiB, each
/// followed by the pool's spin, 0.1-0.3 s of CPU per GiB (docs/benchmarks.md). So a spliced socket tells the
/// engine's epoll to stop reporting those kinds (<c>EPOLL_CTL_MOD</c> with the engine's own data) and gives
/// them back (<see cref="Restore"/>) when no direction splices it any more. The engine's epoll is found
/// through <c>/proc/self/fdinfo</c>, which lists each watched descriptor with its events and data; when it
/// cannot be found (the engine never waited on this socket, or a runtime that works otherwise) nothing changes.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class EngineRegistration
{
    private const uint ReadKinds = LinuxSockets.EpollIn | 0x2000; // EPOLLIN | EPOLLRDHUP
    private static int s_lastEpoll = -1; // the engine's epoll where the last socket was found (checked first)

    private readonly int _epoll, _fd;
    private readonly uint _events;
    private readonly ulong _data;
    private uint _current;

    private EngineRegistration(int epoll, int fd, uint events, ulong data)
    {
        (_epoll, _fd, _events, _data, _current) = (epoll, fd, events, data, events);
    }

    /// <summary>The engine's registration of socket <paramref name="fd"/>, looked for in every epoll instance but <paramref name="ownEpoll"/>; null if none.</summary>
    public static EngineRegistration? Find(int fd, int ownEpoll)
    {
        string? inode = InodeOf(fd);
        if (inode is null) return null;
        int cached = Volatile.Read(ref s_lastEpoll);
        if (cached >= 0 && cached != ownEpoll && In(cached, fd, inode) is { } found) return found;
        try
        {
            foreach (string path in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                if (!int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out int epoll)) continue;
                if (epoll == ownEpoll || epoll == cached || new FileInfo(path).LinkTarget != "anon_inode:[eventpoll]") continue;
                if (In(epoll, fd, inode) is { } registration)
                {
                    Volatile.Write(ref s_lastEpoll, epoll);
                    return registration;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>Has the engine stop reporting reads (<paramref name="reading"/>) and writes (<paramref name="writing"/>), or report them again.</summary>
    public void Ignore(bool reading, bool writing)
    {
        uint wanted = _events & ~(reading ? ReadKinds : 0) & ~(writing ? LinuxSockets.EpollOut : 0);
        if (wanted == _current) return;
        // A refusal (the socket closed meanwhile) leaves the engine as it was: only the saving is lost.
        if (LinuxSockets.Control(_epoll, LinuxSockets.EpollModify, _fd, wanted, _data)) _current = wanted;
    }

    /// <summary>The engine's registration as it found it.</summary>
    public void Restore() => Ignore(false, false);

    /// <summary>The events now registered, as /proc reports them (for tests).</summary>
    internal static uint? EventsNow(int epoll, int fd) => InodeOf(fd) is { } inode ? In(epoll, fd, inode)?._events : null;

    /// <summary>The engine epoll the last registration was found in, or -1 (for tests).</summary>
    internal static int LastEpoll => Volatile.Read(ref s_lastEpoll);

    private static string? InodeOf(int fd)
    {
        string? target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget; // "socket:[INODE]"
        return target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']')
            && ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
            ? inode.ToString("x", CultureInfo.InvariantCulture)
            : null;
    }

    // A line of an epoll's fdinfo: "tfd:        7 events: 8000201d data:                1  pos:0 ino:2d3c sdev:8"
    private static EngineRegistration? In(int epoll, int fd, string inode)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/self/fdinfo/{epoll}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        string number = fd.ToString(CultureInfo.InvariantCulture);
        // The engine's epoll lists every socket it watches, so only the lines naming this descriptor are split.
        string named = $" {number} events:";
        foreach (string line in text.Split('\n'))
        {
            if (!line.Contains(named, StringComparison.Ordinal)) continue;
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8 || f[0] != "tfd:" || f[2] != "events:" || f[4] != "data:" || f[1] != number) continue;
            if (Array.IndexOf(f, "ino:" + inode) < 0) continue;
            return uint.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint events)
                && ulong.TryParse(f[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong data)
                ? new EngineRegistration(epoll, fd, events, data)
                : null;
        }
        return null;
    }
}
