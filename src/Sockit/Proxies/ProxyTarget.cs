using System.Net;

namespace Sockit.Proxies;

/// <summary>Where a proxy is asked to connect: a host name or an IP literal, and a port.</summary>
/// <param name="Host">A name (resolved by the proxy) or an IPv4/IPv6 literal, without brackets.</param>
/// <param name="Port">The destination port, 1-65535 (0 is accepted from a client only to be refused).</param>
public sealed record ProxyTarget(string Host, int Port)
{
    /// <summary>The host as an address when it is an IP literal; <c>null</c> for a name.</summary>
    public IPAddress? Address => IPAddress.TryParse(Host, out IPAddress? address) ? address : null;

    /// <summary><c>host:port</c>, <c>[v6]:port</c>: the form of HTTP's CONNECT line and of log lines.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
