using System.CommandLine;
using Sockit.Cli.Relay;
using Sockit.Endpoints;
using Sockit.Proxies;

namespace Sockit.Cli.Commands;

/// <summary>
/// ncat's proxy flags (<c>--proxy HOST[:PORT]</c>, <c>--proxy-type</c>, <c>--proxy-auth</c>, <c>--proxy-dns</c>) and, under
/// <c>sockit nc</c>, OpenBSD nc's <c>-X 4|5|connect</c>: given <c>-X</c>, <c>-x</c> is the proxy address (OpenBSD's
/// reading); without it <c>-x</c> stays ncat's hex dump. With <c>-l</c>, <c>--proxy-type http</c> makes the listener an
/// HTTP proxy (ncat's proxy server).
/// </summary>
internal sealed class ProxyOptions(bool nc)
{
    private readonly Option<string?> _proxy = new("--proxy") { Description = "Connect through this proxy (port default: 3128 for http, 1080 for socks)", HelpName = "HOST[:PORT]" };
    private readonly Option<string?> _type = new("--proxy-type") { Description = "Proxy protocol: http (default), socks4, socks5. With -l: http makes this an HTTP CONNECT proxy", HelpName = "TYPE" };
    private readonly Option<string?> _auth = new("--proxy-auth") { Description = "Proxy credentials: USER:PASS (http, socks5), the user id for socks4", HelpName = "USER:PASS" };
    private readonly Option<string?> _dns = new("--proxy-dns") { Description = "Where the destination's name is resolved: remote (default), local, both, none", HelpName = "WHERE" };
    private readonly Option<string?> _openBsdType = new("-X") { Description = "OpenBSD nc: proxy protocol 4, 5 or connect; -x is then the proxy HOST[:PORT]", HelpName = "4|5|connect" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _proxy, _type, _auth, _dns })
            command.Options.Add(option);
        if (nc) command.Options.Add(_openBsdType);
    }

    /// <summary>True when OpenBSD nc's <c>-X</c> was given, so that <c>-x</c> is the proxy, not a hex dump file.</summary>
    public bool OpenBsdStyle(ParseResult r) => nc && r.GetValue(_openBsdType) is not null;

    /// <summary>Adds the proxy settings to <paramref name="s"/>, checking combinations; <paramref name="hexDumpValue"/> is what <c>-x</c> held.</summary>
    public CatSettings Apply(ParseResult r, CatSettings s, string? hexDumpValue)
    {
        string? address = r.GetValue(_proxy), typeText = r.GetValue(_type), authText = r.GetValue(_auth), dnsText = r.GetValue(_dns);
        if (OpenBsdStyle(r))
        {
            if (hexDumpValue is null) throw new UserError("-X needs -x HOST[:PORT], the proxy (OpenBSD nc's reading of -x when -X is given)");
            if (address is not null || typeText is not null) throw new UserError("give the proxy once: -X TYPE -x HOST:PORT (OpenBSD nc) or --proxy-type TYPE --proxy HOST:PORT (ncat)");
            address = hexDumpValue;
            typeText = r.GetValue(_openBsdType) switch
            {
                "4" => "socks4",
                "5" => "socks5",
                "connect" => "http",
                var other => throw new UserError($"invalid -X '{other}': 4 (SOCKS4), 5 (SOCKS5) or connect (HTTP CONNECT)"),
            };
            s = s with { HexDump = null };
        }
        ProxyKind kind = typeText is null ? ProxyKind.Http : Kind(typeText);
        ProxyCredentials? credentials = authText is null ? null : Credentials(authText);
        if (s.Listen)
        {
            if (address is not null) throw new UserError("--proxy is for connecting; to be a proxy use -l --proxy-type http, or 'sockit proxy'");
            if (typeText is null) return authText is null && dnsText is null ? s : throw new UserError("--proxy-auth and --proxy-dns need --proxy (or -l --proxy-type http)");
            if (kind != ProxyKind.Http) throw new UserError("-l --proxy-type: a listener can be an http proxy only (SOCKS too: 'sockit proxy')");
            if (s.Udp || s.Endpoint.IsUnix || s.KeepOpen || s.Exec is not null || s.Tls is not null)
                throw new UserError("-l --proxy-type http is a plain TCP proxy listener: without -u, -U, -k, -e/-c or --ssl");
            return s with { ProxyServer = new ProxyListen(credentials) };
        }
        if (address is null)
            return typeText is null && authText is null && dnsText is null ? s : throw new UserError("--proxy-type, --proxy-auth and --proxy-dns need --proxy HOST[:PORT]");
        if (s.Udp || s.Endpoint.IsUnix || s.ScanPorts is not null)
            throw new UserError("--proxy connects TCP streams: not with -u, -U or -z");
        return s with
        {
            Proxy = new ProxyClientOptions
            {
                Proxy = Address(address, kind, s.Endpoint.Family),
                Kind = kind,
                Credentials = credentials,
                Dns = dnsText is null ? ProxyDns.Remote : Dns(dnsText),
            },
        };
    }

    /// <summary><c>host</c>, <c>host:port</c>, <c>1.2.3.4:1080</c>, <c>[::1]:1080</c>, <c>[::1]</c> (port: the type's default).</summary>
    internal static EndpointSpec Address(string text, ProxyKind kind, IpFamily family)
    {
        string host = text, port = "";
        int close = text.LastIndexOf(']');
        int colon = text.LastIndexOf(':');
        if (text.StartsWith('['))
        {
            if (close < 0 || (close < text.Length - 1 && text[close + 1] != ':')) throw new UserError($"invalid --proxy '{text}': write [IPv6]:PORT");
            host = text[1..close];
            port = close < text.Length - 1 ? text[(close + 2)..] : "";
        }
        else if (colon >= 0)
        {
            if (text.IndexOf(':') != colon) throw new UserError($"invalid --proxy '{text}': write an IPv6 proxy as [ADDR]:PORT");
            (host, port) = (text[..colon], text[(colon + 1)..]);
        }
        host = ValueParsers.Host(host, "Proxy");
        int number = port.Length == 0 ? ProxyKinds.DefaultPort(kind) : ValueParsers.Port(port, "Proxy", allowZero: false);
        return EndpointSpec.Ip(host, number, System.Net.Sockets.SocketType.Stream, family);
    }

    internal static ProxyKind Kind(string text) =>
        ProxyKinds.TryParse(text, out ProxyKind kind) ? kind : throw new UserError($"invalid --proxy-type '{text}': http, socks4 or socks5");

    internal static ProxyCredentials Credentials(string text)
    {
        try
        {
            return ProxyCredentials.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UserError($"invalid --proxy-auth: {e.Message}");
        }
    }

    private static ProxyDns Dns(string text) => text.ToLowerInvariant() switch
    {
        "remote" => ProxyDns.Remote,
        "local" => ProxyDns.Local,
        "both" => ProxyDns.Both,
        "none" => ProxyDns.None,
        _ => throw new UserError($"invalid --proxy-dns '{text}': local, remote, both or none"),
    };
}
