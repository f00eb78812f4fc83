namespace Sockit.Transports;

/// <summary>
/// Neither kind of ICMP socket may be opened: raw sockets need root (CAP_NET_RAW), and the unprivileged ping
/// socket (SOCK_DGRAM + IPPROTO_ICMP) is refused because net.ipv4.ping_group_range does not cover our group.
/// </summary>
public sealed class IcmpPermissionException : Exception
{
    private const string Explanation = "raw ICMP sockets need root (CAP_NET_RAW) and ping sockets are not allowed for this group (net.ipv4.ping_group_range)";

    /// <summary>The standard explanation.</summary>
    public IcmpPermissionException()
        : base(Explanation)
    {
    }

    /// <summary>The standard explanation, with the error of the last socket call behind it.</summary>
    public IcmpPermissionException(Exception innerException)
        : base(Explanation, innerException)
    {
    }

    /// <summary>A custom explanation.</summary>
    public IcmpPermissionException(string message)
        : base(message)
    {
    }

    /// <summary>A custom explanation with the socket error behind it.</summary>
    public IcmpPermissionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
