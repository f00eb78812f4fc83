using Sockit.Proxies;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;
using Sockit.Security;

namespace Sockit.Addresses;

/// <summary>The address being parsed, for error messages that name it.</summary>
internal readonly record struct AddressContext(string Text, AddressKind Kind)
{
    public AddressException Error(string what) => new($"{what} in address '{Text}'");
}

/// <summary>Checks of the values inside an address: hosts, ports, counts, bind addresses, families.</summary>
internal static class AddressValues
{
    /// <summary>A port, through the one port parser (<see cref="PortNumber"/>).</summary>
    public static int Port(string text, AddressContext a, bool allowZero)
    {
        try
        {
            return PortNumber.Parse(text, allowZero);
        }
        catch (FormatException e)
        {
            throw a.Error(e.Message);
        }
    }

    /// <summary>A host to connect to: an IP literal (IPv6 in brackets or quoted) or a DNS name.</summary>
    public static string Host(string text, AddressContext a)
    {
        string host = Unbracket(text, a);
        if (host.Length == 0) throw a.Error("missing HOST");
        if (IPAddress.TryParse(host, out IPAddress? ip) && (ip.AddressFamily == AddressFamily.InterNetworkV6 || IsDottedQuad(host))) return host;
        if (host.Contains(':', StringComparison.Ordinal)) throw a.Error($"invalid IPv6 address '{host}'");
        if (host.All(c => char.IsAsciiDigit(c) || c == '.')) throw a.Error($"invalid IPv4 address '{host}'");
        if (host.Length > 253 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') || host.StartsWith('-'))
            throw a.Error($"invalid host '{host}'");
        return host;
    }

    /// <summary><c>proxy=</c>: <c>HOST</c>, <c>HOST:PORT</c>, <c>[IPv6]</c> or <c>[IPv6]:PORT</c>, checked and kept as given.</summary>
    public static string ProxyAddress(string text, AddressContext a)
    {
        if (!text.StartsWith('[') && text.Count(c => c == ':') > 1) throw a.Error($"invalid proxy '{text}': write an IPv6 proxy as [ADDR]:PORT");
        (string host, string? port) = SplitProxy(text);
        _ = Host(host, a);
        if (port is not null) _ = Port(port, a, allowZero: false);
        return text;
    }

    /// <summary>A checked <c>proxy=</c> value split into its host (unbracketed) and its port, if one was given.</summary>
    public static (string Host, string? Port) SplitProxy(string text)
    {
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return (text, null);
            string rest = text[(close + 1)..];
            return (text[1..close], rest.Length == 0 ? null : rest.StartsWith(':') ? rest[1..] : rest);
        }
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
    }

    /// <summary><c>proxy-type=</c>: http, socks4 (socks4a: the same, the proxy resolving names), socks5.</summary>
    public static ProxyKind ProxyType(string text, AddressContext a) =>
        ProxyKinds.TryParse(text, out ProxyKind kind) ? kind : throw a.Error($"invalid proxy-type '{text}': http, socks4 or socks5");

    /// <summary><c>proxy-auth=USER:PASS</c>.</summary>
    public static ProxyCredentials ProxyAuth(string text, AddressContext a)
    {
        try
        {
            return ProxyCredentials.Parse(text);
        }
        catch (FormatException e)
        {
            throw a.Error($"proxy-auth: {e.Message}");
        }
    }

    /// <summary>An address to bind: an IP literal (IPv4 or IPv6), never a name.</summary>
    public static string IpLiteral(string text, AddressContext a)
    {
        string host = Unbracket(text, a);
        if (!IPAddress.TryParse(host, out IPAddress? ip) || (ip.AddressFamily == AddressFamily.InterNetwork && !IsDottedQuad(host)))
            throw a.Error($"invalid bind address '{host}': give an IPv4 or IPv6 address");
        return host;
    }

    /// <summary><c>bind=</c>: an IP literal for IP kinds, a socket path for <c>unix:</c>.</summary>
    public static string Bind(string text, AddressContext a)
    {
        if (a.Kind != AddressKind.Unix) return IpLiteral(text, a);
        if (text.Length == 0) throw a.Error("bind= needs a socket PATH");
        return text;
    }

    public static int Count(string text, string option, AddressContext a)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            throw a.Error($"invalid {option}={text}: must be a whole number of at least 1");
        return n;
    }

    /// <summary>A file named by an option (<c>cert=</c>, <c>key=</c>, <c>cafile=</c>): not empty; it is read when the address is opened.</summary>
    public static string FileName(string text, string option, AddressContext a)
        => text.Length == 0 ? throw a.Error($"{option}= needs a FILE") : text;

    /// <summary>A ':'-separated list (<c>alpn=</c>, <c>ciphers=</c>), as its canonical text: no empty entries, none left out.</summary>
    public static string NameList(string text, string option, AddressContext a)
    {
        string[] names = text.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length == 0 ? throw a.Error($"{option}= needs one or more names separated by ':'") : string.Join(':', names);
    }

    /// <summary>socat's boolean values: <c>0</c>/<c>1</c> (and <c>no</c>/<c>yes</c>).</summary>
    public static bool Flag(string text, string option, AddressContext a) => text.ToLowerInvariant() switch
    {
        "1" or "yes" or "true" => true,
        "0" or "no" or "false" => false,
        _ => throw a.Error($"invalid {option}={text}: give 0 or 1"),
    };

    /// <summary><c>pin=sha256:HEX</c>, through <see cref="CertificatePin.Parse"/>.</summary>
    public static CertificatePin Pin(string text, AddressContext a)
    {
        try
        {
            return CertificatePin.Parse(text);
        }
        catch (FormatException e)
        {
            throw a.Error(e.Message);
        }
    }

    /// <summary>One family, once: <c>tcp4:...,6</c> is a contradiction, not a choice.</summary>
    public static IpFamily Family(AddressOptions current, IpFamily wanted, AddressContext a)
    {
        if (current.Family != IpFamily.Any && current.Family != wanted)
            throw a.Error($"both IPv4 and IPv6 asked for");
        return wanted;
    }

    /// <summary>socat's <c>pf=ip4</c> / <c>pf=ip6</c>.</summary>
    public static IpFamily ProtocolFamily(string text, AddressContext a) => text.ToLowerInvariant() switch
    {
        "ip4" or "ipv4" or "inet" or "4" => IpFamily.IPv4,
        "ip6" or "ipv6" or "inet6" or "6" => IpFamily.IPv6,
        _ => throw a.Error($"invalid pf={text}: give ip4 or ip6"),
    };

    private static string Unbracket(string text, AddressContext a)
    {
        if (!text.StartsWith('[')) return text;
        if (!text.EndsWith(']') || text.Length < 3) throw a.Error($"invalid bracketed address '{text}'");
        string inner = text[1..^1];
        if (!IPAddress.TryParse(inner, out IPAddress? ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            throw a.Error($"invalid IPv6 address '{inner}'");
        return inner;
    }

    // IPAddress.TryParse takes "1", "1.2" and "0x7f.1" as IPv4; only the dotted quad is an IPv4 literal here.
    private static bool IsDottedQuad(string host)
    {
        string[] parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)
            && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }
}
