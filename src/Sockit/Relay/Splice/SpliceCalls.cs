using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Sockit.Relay.Splice;

/// <summary>
/// The Linux calls behind the splice fast path (source-generated P/Invoke, so Native AOT needs no marshalling
/// stubs at run time). Numbers are the same on x86-64 and arm64.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class SpliceCalls
{
    public const uint Move = 1, NonBlock = 2;
    private const int ONonBlock = 0x800, OCloExec = 0x80000;
    private const int FSetPipeSize = 1031;

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    private static partial nint SpliceNative(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirFd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>One splice(2); an offset in use (<paramref name="useOffIn"/>, <paramref name="useOffOut"/>) is the file position to use and advance.</summary>
    /// <returns>Bytes moved, 0 at end of input, or -1 with the errno in <paramref name="errno"/>.</returns>
    public static long Splice(int fdIn, ref long offIn, bool useOffIn, int fdOut, ref long offOut, bool useOffOut, long length, out int errno)
    {
        fixed (long* pIn = &offIn)
        fixed (long* pOut = &offOut)
        {
            nint n = SpliceNative(fdIn, useOffIn ? pIn : null, fdOut, useOffOut ? pOut : null, (nuint)length, Move | NonBlock);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }
    }

    /// <summary>Whether <paramref name="fd"/> is a pipe or FIFO (statx's layout is the same on every architecture).</summary>
    public static bool IsFifo(int fd)
    {
        const int EmptyPath = 0x1000, ModeOffset = 28;
        const uint TypeOnly = 1;
        byte* buffer = stackalloc byte[256];
        byte empty = 0;
        return Statx(fd, &empty, EmptyPath, TypeOnly, buffer) == 0 && (*(ushort*)(buffer + ModeOffset) & 0xF000) == 0x1000;
    }

    /// <summary>A non-blocking, close-on-exec pipe grown (F_SETPIPE_SZ) towards <paramref name="size"/>; returns its real capacity.</summary>
    /// <exception cref="IOException">pipe2 failed (out of descriptors).</exception>
    public static int OpenPipe(int size, out int readFd, out int writeFd)
    {
        int* fds = stackalloc int[2];
        if (Pipe2(fds, ONonBlock | OCloExec) != 0)
            throw new IOException($"pipe2: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        (readFd, writeFd) = (fds[0], fds[1]);
        // Above the default 64 KiB only when asked; a refusal (over pipe-max-size) keeps what the kernel gave.
        int capacity = Fcntl(writeFd, FSetPipeSize, size);
        return capacity > 0 ? capacity : Fcntl(writeFd, FSetPipeSize + 1, 0); // F_GETPIPE_SZ
    }
}
