using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Sockit.Transports.Linux;

namespace Sockit.Relay.Splice;

/// <summary>What a descriptor is, as far as splice(2) cares.</summary>
internal enum SpliceKind
{
    /// <summary>A connected stream socket (TCP or Unix), made non-blocking for the splice.</summary>
    Socket,
    /// <summary>A pipe (stdin or stdout of a shell pipeline).</summary>
    Pipe,
    /// <summary>A regular file to read from, at the position its stream keeps.</summary>
    RegularFile,
}

/// <summary>
/// The seam of the splice fast path: the descriptor under an end that nothing decorates (a plain socket, pipe or
/// file), which <see cref="DuplexEnd.SpliceSource"/> or <see cref="DuplexEnd.SpliceSink"/> hands out. Both
/// directions of a socket share one instance, so the descriptor is registered with the reactor once.
/// </summary>
internal sealed class SpliceableFile
{
    private readonly SafeHandle _handle;
    private readonly Socket? _socket;
    private readonly FileStream? _positioned;
    private readonly Lock _lock = new();
    private int _users, _reading, _writing;
    private EngineRegistration? _engine;

    private SpliceableFile(SafeHandle handle, SpliceKind kind, Socket? socket, FileStream? positioned, Action<string>? trace)
    {
        _handle = handle;
        Kind = kind;
        _socket = socket;
        _positioned = positioned;
        Trace = trace;
    }

    public SpliceKind Kind { get; }

    /// <summary>Where each splice call is traced (<c>--trace</c>), or null.</summary>
    public Action<string>? Trace { get; }

    /// <summary>The descriptor number; valid between <see cref="Enter"/> and <see cref="Leave"/>.</summary>
    public int Fd { get; private set; } = -1;

    /// <summary>Readable/writable edges while entered; null for a regular file (always ready).</summary>
    public Readiness? Readiness { get; private set; }

    /// <summary>Whether splice calls pass a file offset (a regular file: its stream keeps the position, not the descriptor).</summary>
    public bool UsesOffset => _positioned is not null;

    /// <summary>False when the environment sets <c>SOCKIT_SPLICE_ENGINE=0</c>: the runtime's engine keeps reporting a spliced socket's edges (for measuring).</summary>
    private static bool EngineWatchEnabled { get; } = Environment.GetEnvironmentVariable("SOCKIT_SPLICE_ENGINE") != "0";

    public static SpliceableFile ForSocket(Socket socket, Action<string>? trace) => new(socket.SafeHandle, SpliceKind.Socket, socket, null, trace);

    /// <summary>
    /// A stdio stream when it is a pipe (anonymous or named), or a regular file to read from; null for anything else (a terminal, a
    /// socket left blocking by whoever gave it to us, a device). Not a file or /dev/null to write to: measured,
    /// splice(2) into a file cost 2.6x the CPU of write(2), and /dev/null saves no copy (docs/benchmarks.md).
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static SpliceableFile? ForStream(Stream stream, bool sink)
    {
        if (stream is not FileStream file) return null;
        try
        {
            SafeHandle handle = file.SafeFileHandle;
            int fd = (int)handle.DangerousGetHandle();
            string? target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            SpliceKind? kind = target switch
            {
                null => null,
                _ when target.StartsWith("pipe:", StringComparison.Ordinal) => SpliceKind.Pipe,
                _ when target.StartsWith("/dev/", StringComparison.Ordinal) && !target.StartsWith("/dev/shm/", StringComparison.Ordinal) => null,
                _ when target.StartsWith('/') && !file.CanSeek && SpliceCalls.IsFifo(fd) => SpliceKind.Pipe, // a named pipe (mkfifo) shows as its path
                _ when target.StartsWith('/') && file.CanSeek && !sink => SpliceKind.RegularFile,
                _ => null,
            };
            return kind is { } k ? new SpliceableFile(handle, k, null, k == SpliceKind.RegularFile ? file : null, null) : null;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The stream's position, for a regular file; 0 otherwise.</summary>
    public long Position => _positioned?.Position ?? 0;

    /// <summary>
    /// A direction starts splicing this descriptor, <paramref name="reading"/> it or writing it: keeps it open (a
    /// close waits for <see cref="Leave"/>), makes a socket non-blocking, and registers a socket or pipe with the
    /// reactor on first entry; the runtime's engine stops reporting what the direction does (<see cref="EngineRegistration"/>).
    /// </summary>
    /// <exception cref="IOException">The reactor could not watch it.</exception>
    [SupportedOSPlatform("linux")]
    public void Enter(bool reading)
    {
        lock (_lock)
        {
            bool added = false;
            _handle.DangerousAddRef(ref added);
            if (_users++ == 0)
            {
                try
                {
                    Fd = (int)_handle.DangerousGetHandle();
                    if (_socket is not null) _socket.Blocking = false;
                    if (Kind is SpliceKind.Socket or SpliceKind.Pipe) Readiness = SpliceReactor.Shared.Register(Fd);
                }
                catch
                {
                    _users--;
                    _handle.DangerousRelease();
                    throw;
                }
                if (_socket is not null && EngineWatchEnabled) _engine = EngineRegistration.Find(Fd, SpliceReactor.Shared.Epoll);
            }
            if (reading) _reading++;
            else _writing++;
            _engine?.Ignore(_reading > 0, _writing > 0);
        }
    }

    /// <summary>A direction (<paramref name="reading"/> or writing) is done with it; <paramref name="position"/> is where a regular file's stream now stands.</summary>
    [SupportedOSPlatform("linux")]
    public void Leave(long position, bool reading)
    {
        lock (_lock)
        {
            if (_positioned is not null) _positioned.Position = position;
            if (reading) _reading--;
            else _writing--;
            _engine?.Ignore(_reading > 0, _writing > 0); // the engine watches again what no direction splices
            if (--_users == 0)
            {
                _engine = null;
                if (Readiness is { } readiness)
                {
                    SpliceReactor.Shared.Unregister(readiness);
                    Readiness = null;
                }
            }
            _handle.DangerousRelease();
        }
    }

    /// <summary>The exception the portable path would have met for <paramref name="errno"/> on this descriptor.</summary>
    [SupportedOSPlatform("linux")]
    public Exception Failure(int errno) => Kind == SpliceKind.Socket
        ? new SocketException((int)LinuxSockets.ToSocketError(errno))
        : new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
}
