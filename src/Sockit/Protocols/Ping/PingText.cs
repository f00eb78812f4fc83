using System.Globalization;
using System.Net;

namespace Sockit.Protocols.Ping;

/// <summary>The lines ping prints, in one place.</summary>
internal static class PingText
{
    /// <summary><c>PING localhost (127.0.0.1): 56 data bytes</c>.</summary>
    public static string Header(string target, IPAddress address, int dataBytes)
        => $"PING {target} ({address}): {dataBytes} data bytes";

    /// <summary><c>64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms</c> (ttl only when known).</summary>
    public static string Reply(IPAddress from, IcmpEchoReply reply, double ms)
        => reply.Ttl is { } ttl
            ? $"{reply.IcmpLength} bytes from {from}: icmp_seq={reply.Sequence} ttl={ttl} time={Ms(ms)} ms"
            : $"{reply.IcmpLength} bytes from {from}: icmp_seq={reply.Sequence} time={Ms(ms)} ms";

    /// <summary>Said when a request's reply did not come within the per-reply timeout.</summary>
    public static string Timeout(int sequence) => $"Request timeout for icmp_seq={sequence}";

    public static string Ms(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture);
}
