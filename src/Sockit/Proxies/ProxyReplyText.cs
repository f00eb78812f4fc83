namespace Sockit.Proxies;

/// <summary>Proxy reply codes in words, as RFC 1928 (SOCKS5) and the SOCKS4 protocol name them.</summary>
internal static class ProxyReplyText
{
    public static string Socks5(byte code) => code switch
    {
        0x00 => "succeeded",
        0x01 => "general SOCKS server failure",
        0x02 => "connection not allowed by ruleset",
        0x03 => "network unreachable",
        0x04 => "host unreachable",
        0x05 => "connection refused",
        0x06 => "TTL expired",
        0x07 => "command not supported",
        0x08 => "address type not supported",
        _ => "unassigned reply code",
    };

    public static string Socks4(byte code) => code switch
    {
        0x5A => "request granted",
        0x5B => "request rejected or failed",
        0x5C => "request rejected: the proxy cannot reach the client's identd",
        0x5D => "request rejected: identd reports a different user id",
        _ => "unknown reply code",
    };

    /// <summary><c>words (0x02)</c>.</summary>
    public static string WithCode(string words, byte code) => $"{words} (0x{code:x2})";
}
