using System.Globalization;
using System.Net;

namespace Sockit.Proxies;

/// <summary>
/// Where a proxy server may connect: a list of <c>HOST:PORTS</c> patterns, any of which admits a destination.
/// HOST is <c>*</c>, an IP address, a CIDR range (<c>10.0.0.0/8</c>, <c>[fd00::/8]</c>) or a host name (exact,
/// any case); PORTS is <c>*</c>, a port, or a range <c>1000-2000</c>. A destination asked for by name is admitted when
/// a name pattern matches it; otherwise the proxy resolves it and connects only to addresses a pattern admits, so a
/// name cannot smuggle a connection to an address the list leaves out. IPv4-mapped IPv6 addresses match their IPv4 form.
/// </summary>
public sealed class DestinationAllowList
{
    private readonly Rule[] _rules;

    private DestinationAllowList(Rule[] rules) => _rules = rules;

    /// <summary>Reads the patterns.</summary>
    /// <exception cref="FormatException">A pattern is malformed (the message quotes it).</exception>
    public static DestinationAllowList Parse(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return new DestinationAllowList(patterns.Select(ParseRule).ToArray());
    }

    /// <summary>True when a pattern admits <paramref name="name"/> (a host name, not an address) at <paramref name="port"/>.</summary>
    public bool AllowsName(string name, int port)
        => _rules.Any(r => r.Ports(port) && (r.AnyHost || (r.Name is not null && string.Equals(r.Name, name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))));

    /// <summary>True when a pattern admits <paramref name="address"/> at <paramref name="port"/>.</summary>
    public bool AllowsAddress(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        IPAddress plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _rules.Any(r => r.Ports(port) && (r.AnyHost || (r.Network is { } network && InRange(plain, network, r.PrefixLength))));
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily) return false;
        Span<byte> a = stackalloc byte[16], n = stackalloc byte[16];
        address.TryWriteBytes(a, out int length);
        network.TryWriteBytes(n, out _);
        int whole = prefix / 8, rest = prefix % 8;
        if (!a[..whole].SequenceEqual(n[..whole])) return false;
        if (rest == 0 || whole >= length) return true;
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[whole] & mask) == (n[whole] & mask);
    }

    private static Rule ParseRule(string pattern)
    {
        int colon = pattern.LastIndexOf(':');
        if (colon <= 0) throw new FormatException($"'{pattern}' is not HOST:PORTS (for example 127.0.0.1:80, 10.0.0.0/8:*, [::1]:22, example.com:443)");
        (int low, int high) = Ports(pattern[(colon + 1)..], pattern);
        string host = pattern[..colon];
        if (host == "*") return new Rule(low, high, AnyHost: true, null, null, 0);
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal)) throw new FormatException($"'{pattern}': write an IPv6 address in brackets, [::1]:PORTS");
        int slash = host.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? host : host[..slash];
        if (IPAddress.TryParse(addressText, out IPAddress? address) && (bracketed || addressText.Count(c => c == '.') == 3))
        {
            int max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            int prefix = max;
            if (slash >= 0 && (!int.TryParse(host.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
                throw new FormatException($"'{pattern}': the prefix length must be 0-{max}");
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            return new Rule(low, high, AnyHost: false, null, address, prefix);
        }
        if (bracketed || slash >= 0 || host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            throw new FormatException($"'{pattern}': '{host}' is not an address, a CIDR range, a host name or *");
        return new Rule(low, high, AnyHost: false, host.TrimEnd('.'), null, 0);
    }

    private static (int Low, int High) Ports(string text, string pattern)
    {
        if (text == "*") return (1, 65535);
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        (string from, string to) = dash < 0 ? (text, text) : (text[..dash], text[(dash + 1)..]);
        if (!int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out int low) || !int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out int high)
            || low is < 1 or > 65535 || high < low || high > 65535)
            throw new FormatException($"'{pattern}': ports must be *, a port 1-65535 or a range LOW-HIGH");
        return (low, high);
    }

    private sealed record Rule(int Low, int High, bool AnyHost, string? Name, IPAddress? Network, int PrefixLength)
    {
        public bool Ports(int port) => port >= Low && port <= High;
    }
}
