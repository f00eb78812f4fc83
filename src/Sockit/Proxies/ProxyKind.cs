namespace Sockit.Proxies;

/// <summary>The protocol spoken to a proxy (ncat's <c>--proxy-type</c>).</summary>
public enum ProxyKind
{
    /// <summary>HTTP <c>CONNECT host:port</c> (RFC 9110 §9.3.6), with Basic authentication when credentials are given. Default port 3128.</summary>
    Http,
    /// <summary>SOCKS4 (an IPv4 address), or SOCKS4a when the proxy resolves the name. Default port 1080.</summary>
    Socks4,
    /// <summary>SOCKS5 (RFC 1928), with username/password authentication (RFC 1929) when credentials are given. Default port 1080.</summary>
    Socks5,
}

/// <summary>Where the destination's host name is resolved when connecting through a proxy (ncat's <c>--proxy-dns</c>).</summary>
public enum ProxyDns
{
    /// <summary>The name is passed to the proxy, which resolves it (SOCKS4a, SOCKS5 ATYP domain, HTTP). ncat's default.</summary>
    Remote,
    /// <summary>The name is resolved here and the proxy is given an address; a name that does not resolve is an error.</summary>
    Local,
    /// <summary>Resolved here when possible; a name that does not resolve here is passed to the proxy.</summary>
    Both,
    /// <summary>No resolution at all: the destination must be an IP address.</summary>
    None,
}

/// <summary>Names and default ports of the proxy kinds.</summary>
public static class ProxyKinds
{
    /// <summary>The well-known port: 3128 for HTTP, 1080 for SOCKS (as ncat and OpenBSD nc use).</summary>
    public static int DefaultPort(ProxyKind kind) => kind == ProxyKind.Http ? 3128 : 1080;

    /// <summary>Reads a name as <c>--proxy-type</c> and <c>proxy-type=</c> take it: http, socks4 (or socks4a), socks5, in any case.</summary>
    public static bool TryParse(string text, out ProxyKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        (bool known, kind) = text.ToLowerInvariant() switch
        {
            "http" => (true, ProxyKind.Http),
            "socks4" or "socks4a" => (true, ProxyKind.Socks4),
            "socks5" => (true, ProxyKind.Socks5),
            _ => (false, ProxyKind.Http),
        };
        return known;
    }

    /// <summary>The name used on command lines and in messages: <c>http</c>, <c>socks4</c>, <c>socks5</c>.</summary>
    public static string Name(ProxyKind kind) => kind switch
    {
        ProxyKind.Http => "http",
        ProxyKind.Socks4 => "socks4",
        ProxyKind.Socks5 => "socks5",
        _ => kind.ToString(),
    };
}
