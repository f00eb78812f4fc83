using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Sockit.Transports.Linux;

/// <summary>
/// The few libc calls of the Linux event-loop servers, on raw descriptors: no <see cref="Socket"/>, no
/// SafeHandle, no event arguments per connection. Every buffer goes in as a <c>ref byte</c> (pinned for the
/// call, nothing marshalled or allocated). The constants are the asm-generic ones (x86-64 and arm64 alike).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxSockets
{
    public const int EINTR = 4, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EINVAL = 22, ENFILE = 23, EMFILE = 24, EPIPE = 32,
        ENETDOWN = 100, ENETUNREACH = 101, ECONNABORTED = 103, ECONNRESET = 104, ENOBUFS = 105, ENOTCONN = 107,
        ETIMEDOUT = 110, EHOSTUNREACH = 113;
    public const int SockNonBlock = 0x800, SockCloexec = 0x80000, MsgNoSignal = 0x4000, ShutWrite = 1;
    public const uint EpollIn = 0x1, EpollOut = 0x4;
    public const int EpollAdd = 1, EpollDelete = 2, EpollModify = 3;

    /// <summary>sizeof(struct epoll_event): packed (12 bytes) on x86-64 only, naturally aligned (16) elsewhere.</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static int DataOffset => EpollEventSize == 12 ? 4 : 8;

    public static int Errno => Marshal.GetLastPInvokeError();

    public static uint EventsAt(ReadOnlySpan<byte> events, int i) => MemoryMarshal.Read<uint>(events[(i * EpollEventSize)..]);

    public static int FdAt(ReadOnlySpan<byte> events, int i) => (int)DataAt(events, i);

    /// <summary>The data word of the <paramref name="i"/>th event epoll_wait filled in.</summary>
    public static ulong DataAt(ReadOnlySpan<byte> events, int i) => MemoryMarshal.Read<ulong>(events[(i * EpollEventSize + DataOffset)..]);

    /// <summary>epoll_ctl with the descriptor itself as the event's data; false (errno set) on failure.</summary>
    public static bool Control(int epoll, int op, int fd, uint events) => Control(epoll, op, fd, events, (ulong)fd);

    /// <summary>epoll_ctl with <paramref name="data"/> as the event's data word; false (errno set) on failure.</summary>
    public static bool Control(int epoll, int op, int fd, uint events, ulong data)
    {
        Span<byte> ev = stackalloc byte[16];
        ev.Clear();
        MemoryMarshal.Write(ev, in events);
        MemoryMarshal.Write(ev[DataOffset..], in data);
        return EpollCtl(epoll, op, fd, ref MemoryMarshal.GetReference(ev)) == 0;
    }

    public static int Wait(int epoll, Span<byte> events, int timeoutMs)
        => EpollWait(epoll, ref MemoryMarshal.GetReference(events), events.Length / EpollEventSize, timeoutMs);

    /// <summary>The calling thread's kernel id (its <c>/proc/self/task</c> entry): "/proc/thread-self" links to "PID/task/TID"; 0 where /proc does not say.</summary>
    public static int CurrentThreadId()
    {
        try
        {
            return int.TryParse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").LinkTarget), NumberStyles.None, CultureInfo.InvariantCulture, out int tid) ? tid : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public static int Accept(int listener, Span<byte> address, out int addressLength)
    {
        addressLength = address.Length;
        return Accept4(listener, ref MemoryMarshal.GetReference(address), ref addressLength, SockNonBlock | SockCloexec);
    }

    /// <summary>recv(2): bytes read, 0 at end of input, -1 with errno.</summary>
    public static int Receive(int fd, Span<byte> buffer) => (int)Recv(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length, 0);

    /// <summary>send(2) without SIGPIPE: bytes taken, -1 with errno.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> data) => (int)SendRaw(fd, ref MemoryMarshal.GetReference(data), data.Length, MsgNoSignal);

    /// <summary>Wakes an epoll_wait that watches <paramref name="eventFd"/>.</summary>
    public static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = WriteRaw(eventFd, ref one, sizeof(ulong));
    }

    public static void Drain(int eventFd)
    {
        ulong value = 0;
        _ = ReadRaw(eventFd, ref value, sizeof(ulong));
    }

    /// <summary>
    /// The <see cref="SocketError"/> a .NET socket call would have thrown for <paramref name="errno"/> (the grumpy
    /// loop's raw calls and the splice path's alike).
    /// </summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        ECONNRESET => SocketError.ConnectionReset,
        EPIPE => SocketError.Shutdown, // the runtime's name for it
        ETIMEDOUT => SocketError.TimedOut,
        ECONNABORTED => SocketError.ConnectionAborted,
        ENOTCONN => SocketError.NotConnected,
        ENOBUFS or ENOMEM => SocketError.NoBufferSpaceAvailable,
        EMFILE or ENFILE => SocketError.TooManyOpenSockets,
        ENETDOWN => SocketError.NetworkDown,
        ENETUNREACH => SocketError.NetworkUnreachable,
        EHOSTUNREACH => SocketError.HostUnreachable,
        EBADF => SocketError.OperationAborted, // closed under us
        _ => SocketError.SocketError,
    };

    [DllImport("libc", EntryPoint = "accept4", SetLastError = true)]
    private static extern int Accept4(int fd, ref byte address, ref int length, int flags);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern nint Recv(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern nint SendRaw(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static extern int Shutdown(int fd, int how);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static extern int EpollCreate(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static extern int EpollCtl(int epoll, int op, int fd, ref byte ev);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static extern int EpollWait(int epoll, ref byte events, int max, int timeoutMs);

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static extern int EventFd(uint initial, int flags);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteRaw(int fd, ref ulong value, nint length);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint ReadRaw(int fd, ref ulong value, nint length);
}
