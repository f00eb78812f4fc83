using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Sockit.Transports.Linux;

namespace Sockit.Relay;

/// <summary>
/// A member's queued chunks sent in one sendmsg(2) straight from their buffers, without waiting (MSG_DONTWAIT): the
/// fan-out's fast path on Linux, where coalescing would otherwise copy every fanned-out byte once more into one buffer
/// before the kernel copies it again (measured: that copy was a tenth of the broker's CPU). What does not fit in the
/// socket's buffer now goes the ordinary, waiting way.
/// </summary>
internal static unsafe class GatherSend
{
    private const int MsgDontWait = 0x40, MsgNoSignal = 0x4000;

    /// <summary>The most pieces one call takes (Linux's UIO_MAXIOV is 1024).</summary>
    public const int MaxPieces = 64;

    /// <summary>Whether <paramref name="socket"/> can be written this way (64-bit Linux: the msghdr layout below).</summary>
    [SupportedOSPlatformGuard("linux")]
    public static bool Supported(SafeHandle? socket) => socket is not null && OperatingSystem.IsLinux() && IntPtr.Size == 8;

    /// <summary>
    /// Sends what fits now of <paramref name="pieces"/>' data, in order: the bytes sent, 0 when the socket's buffer is
    /// full. Each piece's buffer must be pinned for good (<see cref="BroadcastChunk"/>'s are: the pinned heap).
    /// </summary>
    /// <exception cref="SocketException">The connection failed (reset, closed under us).</exception>
    [SupportedOSPlatform("linux")]
    public static long Send(SafeHandle socket, ReadOnlySpan<BroadcastChunk> pieces)
    {
        int count = Math.Min(pieces.Length, MaxPieces);
        Span<IoVector> vectors = stackalloc IoVector[count];
        for (int i = 0; i < count; i++)
            vectors[i] = new IoVector(Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pieces[i].Buffer)), pieces[i].Length);
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            fixed (IoVector* iov = vectors)
            {
                var message = new MessageHeader { Vectors = iov, VectorCount = count };
                while (true)
                {
                    nint sent = SendMessage((int)socket.DangerousGetHandle(), &message, MsgDontWait | MsgNoSignal);
                    if (sent >= 0) return sent;
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LinuxSockets.EINTR) continue;
                    if (errno == LinuxSockets.EAGAIN) return 0;
                    throw new SocketException((int)LinuxSockets.ToSocketError(errno));
                }
            }
        }
        finally
        {
            if (added) socket.DangerousRelease();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct IoVector(void* start, nint length)
    {
        public readonly void* Start = start;
        public readonly nint Length = length;
    }

    // struct msghdr on 64-bit Linux: name, namelen (padded), iov, iovlen, control, controllen, flags.
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public int NameLength;
        public IoVector* Vectors;
        public nint VectorCount;
        public void* Control;
        public nint ControlLength;
        public int Flags;
    }

    [DllImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static extern nint SendMessage(int fd, MessageHeader* message, int flags);
}
