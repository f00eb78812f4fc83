using System.Net;
using System.Net.Sockets;

namespace Sockit.Diagnostics;

/// <summary>
/// Berkeley names (AF_INET, SOCK_STREAM, ECONNREFUSED, ...) for .NET's socket enums, strerror texts, and
/// addresses and peers written as the seed's C programs print them. These are the words of <c>--trace</c> and
/// of every Sockit log line.
/// </summary>
public static class SocketNames
{
    /// <summary>The C macro for an address family, e.g. <c>AF_INET6</c>.</summary>
    public static string Family(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => "AF_INET",
        AddressFamily.InterNetworkV6 => "AF_INET6",
        AddressFamily.Unix => "AF_UNIX",
        AddressFamily.Unspecified => "AF_UNSPEC",
        _ => "AF_" + family.ToString().ToUpperInvariant(),
    };

    /// <summary>The C macro for a socket type, e.g. <c>SOCK_DGRAM</c>.</summary>
    public static string Type(SocketType type) => type switch
    {
        SocketType.Stream => "SOCK_STREAM",
        SocketType.Dgram => "SOCK_DGRAM",
        SocketType.Raw => "SOCK_RAW",
        SocketType.Seqpacket => "SOCK_SEQPACKET",
        _ => "SOCK_" + type.ToString().ToUpperInvariant(),
    };

    /// <summary>The protocol argument as the seed writes it: 0 for the family's default, else IPPROTO_*.</summary>
    public static string Protocol(ProtocolType protocol) => protocol switch
    {
        ProtocolType.Unspecified or ProtocolType.Tcp or ProtocolType.Udp => "0",
        ProtocolType.Icmp => "IPPROTO_ICMP",
        ProtocolType.IcmpV6 => "IPPROTO_ICMPV6",
        _ => ((int)protocol).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The errno name for a socket error, e.g. <c>ECONNREFUSED</c>.</summary>
    public static string Errno(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "ECONNREFUSED",
        SocketError.AddressAlreadyInUse => "EADDRINUSE",
        SocketError.AddressNotAvailable => "EADDRNOTAVAIL",
        SocketError.ConnectionReset => "ECONNRESET",
        SocketError.ConnectionAborted => "ECONNABORTED",
        SocketError.TimedOut => "ETIMEDOUT",
        SocketError.HostUnreachable => "EHOSTUNREACH",
        SocketError.NetworkUnreachable => "ENETUNREACH",
        SocketError.AccessDenied => "EACCES",
        SocketError.Shutdown => "EPIPE",
        SocketError.NotConnected => "ENOTCONN",
        SocketError.OperationAborted => "ECANCELED",
        SocketError.AddressFamilyNotSupported => "EAFNOSUPPORT",
        SocketError.ProtocolNotSupported => "EPROTONOSUPPORT",
        SocketError.InvalidArgument => "EINVAL",
        SocketError.MessageSize => "EMSGSIZE",
        SocketError.WouldBlock => "EAGAIN",
        _ => error.ToString(),
    };

    /// <summary>The getaddrinfo/getnameinfo result code for a resolver failure, e.g. <c>EAI_NONAME</c>.</summary>
    public static string ResolverError(SocketError error) => error switch
    {
        SocketError.HostNotFound => "EAI_NONAME",
        SocketError.TryAgain => "EAI_AGAIN",
        SocketError.NoRecovery => "EAI_FAIL",
        SocketError.NoData => "EAI_NODATA",
        SocketError.AddressFamilyNotSupported => "EAI_FAMILY",
        _ => "EAI_SYSTEM (" + error + ")",
    };

    /// <summary>Why an operation failed, in the words of its socket error when it has one (a server's one-line log).</summary>
    public static string Describe(Exception error) => error switch
    {
        SocketException s => Describe(s.SocketErrorCode),
        IOException { InnerException: SocketException s } => Describe(s.SocketErrorCode),
        _ => error.Message,
    };

    /// <summary>
    /// The strerror text for a socket error (what perror prints), e.g. "Connection refused".
    /// Written out here rather than taken from the exception so messages are the same on every platform.
    /// </summary>
    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "Connection refused",
        SocketError.AddressAlreadyInUse => "Address already in use",
        SocketError.AddressNotAvailable => "Cannot assign requested address",
        SocketError.ConnectionReset => "Connection reset by peer",
        SocketError.ConnectionAborted => "Software caused connection abort",
        SocketError.TimedOut => "Connection timed out",
        SocketError.HostUnreachable => "No route to host",
        SocketError.NetworkUnreachable => "Network is unreachable",
        SocketError.AccessDenied => "Permission denied",
        SocketError.Shutdown => "Broken pipe",
        SocketError.NotConnected => "Transport endpoint is not connected",
        SocketError.AddressFamilyNotSupported => "Address family not supported by protocol",
        SocketError.ProtocolNotSupported => "Protocol not supported",
        SocketError.MessageSize => "Message too long",
        SocketError.HostNotFound => "Name or service not known",
        SocketError.TryAgain => "Temporary failure in name resolution",
        SocketError.TooManyOpenSockets => "Too many open files",
        SocketError.NoBufferSpaceAvailable => "No buffer space available",
        _ => error.ToString(),
    };

    /// <summary>
    /// The address as the seed's inet_ntoa would print it; IPv4-mapped IPv6 addresses are shown as plain
    /// IPv4 (a dual-stack listener sees IPv4 clients that way).
    /// </summary>
    public static string Address(IPAddress address)
        => address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();

    /// <summary>
    /// The peer as <c>ip:port</c>, <c>[v6]:port</c>, or the Unix path (<c>unnamed</c> when the peer never bound).
    /// </summary>
    public static string EndPoint(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 || ip.AddressFamily == AddressFamily.InterNetwork
            => $"{Address(ip.Address)}:{ip.Port}",
        IPEndPoint ip => $"[{ip.Address}]:{ip.Port}",
        UnixDomainSocketEndPoint unix => UnixName(unix),
        null => "unnamed",
        _ => endPoint.ToString() ?? "unknown",
    };

    /// <summary>The host part alone: the address for IP, the path for Unix.</summary>
    public static string Host(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => Address(ip.Address),
        _ => EndPoint(endPoint),
    };

    private static string UnixName(UnixDomainSocketEndPoint unix)
    {
        string text = unix.ToString();
        if (text.Length == 0) return "unnamed";
        // .NET renders an abstract name with a leading NUL; users write it as '@name'.
        return text[0] == '\0' ? "@" + text[1..] : text;
    }
}
