using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Sockit.Transports;

/// <summary>
/// Filesystem care for Unix socket paths: a socket file left by a dead server is removed before bind,
/// a live server's or a regular file is never touched, and the file we made goes away when we stop.
/// Abstract names (<c>@name</c>) live in no filesystem and need none of this.
/// </summary>
internal static class UnixSocketPath
{
    public static bool IsAbstract(string path) => path.StartsWith('@');

    /// <summary>Removes <paramref name="path"/> only if it is a socket nobody is listening on.</summary>
    /// <exception cref="IOException">The path is taken by a live server or by something that is not a socket.</exception>
    public static void ClearStale(string path, SocketCalls calls)
    {
        if (IsAbstract(path)) return;
        FileSystemInfo info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path)) return;
        if (!IsSocketFile(path))
            throw new IOException($"{path} exists and is not a socket; refusing to replace it");
        if (SomeoneListens(path))
            throw new IOException($"{path}: Address already in use (a server is listening there)");
        calls.Note($"unlink(\"{path}\") = 0 (stale socket file)");
        File.Delete(path);
    }

    /// <summary>
    /// An address for a Unix datagram client to bind. Unlike UDP, where the kernel gives a socket an ephemeral
    /// port at its first send, a Unix datagram socket that never binds stays unnamed: the server's recvfrom
    /// reports an empty address and its sendto has nowhere to deliver the answer. So the client binds first:
    /// a unique abstract name on Linux (no file, gone when the socket closes), a file in the temp directory
    /// elsewhere (.NET unlinks a socket file its Socket bound when that Socket is disposed).
    /// </summary>
    public static UnixDomainSocketEndPoint ClientEndPoint()
    {
        string unique = $"sockit-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32];
        return OperatingSystem.IsLinux()
            ? new UnixDomainSocketEndPoint("\0" + unique)
            : new UnixDomainSocketEndPoint(Path.Combine(Path.GetTempPath(), unique + ".sock"));
    }

    /// <summary>Sets the socket file's permission bits, e.g. 0o660 from <c>--mode 660</c>.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!IsAbstract(path) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    public static void Remove(string path)
    {
        if (IsAbstract(path)) return;
        try
        {
            if (IsSocketFile(path)) File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover file is handled as stale by the next server.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool IsSocketFile(string path)
    {
        try
        {
            // .NET has no S_ISSOCK; a socket is neither a regular file nor a directory nor a link.
            var attributes = File.GetAttributes(path);
            if (attributes.HasFlag(FileAttributes.Directory)) return false;
            return new FileInfo(path) is { LinkTarget: null } file && !IsRegular(file);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsRegular(FileInfo file)
    {
        // Opening a socket file fails with ENXIO; a regular file (or a FIFO) opens. O_NONBLOCK matters: a plain
        // open of a FIFO blocks until a writer comes, which would hang the server before it ever binds.
        // Without libc (Windows) we cannot tell: call it regular, so it is never deleted.
        if (OperatingSystem.IsWindows()) return true;
        int flags = OperatingSystem.IsLinux() ? LinuxNonBlock : BsdNonBlock;
        int fd = Open(file.FullName, flags);
        if (fd < 0) return Marshal.GetLastPInvokeError() != ENXIO;
        _ = CloseFd(fd);
        return true;
    }

    private const int LinuxNonBlock = 0x800, BsdNonBlock = 0x4, ENXIO = 6;

    [UnsupportedOSPlatform("windows")]
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [UnsupportedOSPlatform("windows")]
    [DllImport("libc", EntryPoint = "close")]
    private static extern int CloseFd(int fd);

    private static bool SomeoneListens(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ProtocolType)
        {
            // A datagram socket file: someone holds it bound, so it is not stale.
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
