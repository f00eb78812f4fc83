using System.Net.Sockets;

namespace Sockit.Relay.Splice;

/// <summary>Linux errno values a spliced socket can fail with, as the <see cref="SocketError"/> the runtime would have reported.</summary>
internal static class SocketErrors
{
    public static SocketError FromErrno(int errno) => errno switch
    {
        32 => SocketError.Shutdown, // EPIPE: the runtime's name for it
        100 => SocketError.NetworkDown,
        101 => SocketError.NetworkUnreachable,
        103 => SocketError.ConnectionAborted,
        104 => SocketError.ConnectionReset,
        105 or 12 => SocketError.NoBufferSpaceAvailable, // ENOBUFS, ENOMEM
        107 => SocketError.NotConnected,
        110 => SocketError.TimedOut,
        113 => SocketError.HostUnreachable,
        9 => SocketError.OperationAborted, // EBADF: closed under us
        _ => SocketError.SocketError,
    };
}
