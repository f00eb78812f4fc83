using System.Net.Sockets;

namespace Sockit.Relay;

/// <summary>Sorts the exceptions a copy loop meets into <see cref="RelayEndReason"/> values.</summary>
internal static class RelayErrors
{
    /// <summary>Failures of the stream itself (as opposed to bugs): the relay reports these, it does not throw them.</summary>
    public static bool IsStreamFailure(Exception e) => e is SocketException or IOException or ObjectDisposedException;

    /// <summary>ECONNRESET, ECONNABORTED or EPIPE: the peer is gone.</summary>
    public static bool IsReset(Exception e)
    {
        SocketException? s = e as SocketException ?? e.InnerException as SocketException;
        return s?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;
    }

    public static RelayEndReason Classify(Exception e, bool reading)
        => IsReset(e) ? RelayEndReason.PeerReset : reading ? RelayEndReason.ReadError : RelayEndReason.WriteError;
}
