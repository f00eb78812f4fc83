using Sockit.Endpoints;

namespace Sockit.Addresses;

/// <summary>How an address kind takes its parameters after the first colon.</summary>
internal enum ParameterShape
{
    /// <summary>None: <c>stdio</c>.</summary>
    None,
    /// <summary><c>HOST:PORT</c>.</summary>
    HostPort,
    /// <summary><c>[BIND:]PORT</c>; port 0 lets the kernel choose.</summary>
    ListenPort,
    /// <summary>The rest, colons included, as one text: a path, an argv line, a shell command.</summary>
    Text,
}

/// <summary>One spelling of an address keyword (socat's marked), with what it implies.</summary>
internal sealed record Keyword(string Name, AddressKind Kind, IpFamily Family = IpFamily.Any, string PathPrefix = "", bool Socat = false);

/// <summary>One address kind: its canonical keyword, its parameters, and whether it is supported yet.</summary>
internal sealed record KindRule(AddressKind Kind, string Name, ParameterShape Shape, string Usage, bool Supported = true);

/// <summary>One option: its names, whether it takes a value, which kinds take it, and what it sets.</summary>
internal sealed record OptionRule(string Name, string[] Aliases, bool TakesValue, AddressKind[] Kinds, Func<AddressOptions, string, AddressContext, AddressOptions> Apply, bool Supported = true);

/// <summary>
/// THE table of address keywords and options: every spelling the parser accepts is listed here once, socat's
/// among them (only those people commonly type: no <c>tcp4-l</c>). Adding an address or option is a row here.
/// </summary>
internal static class AddressTable
{
    private static readonly AddressKind[] Listeners = [AddressKind.TcpListen, AddressKind.UdpListen, AddressKind.UnixListen, AddressKind.TlsListen];
    private static readonly AddressKind[] IpKinds = [AddressKind.Tcp, AddressKind.TcpListen, AddressKind.Udp, AddressKind.UdpListen, AddressKind.Tls, AddressKind.TlsListen];
    private static readonly AddressKind[] TlsKinds = [AddressKind.Tls, AddressKind.TlsListen];
    private static readonly AddressKind[] TlsClient = [AddressKind.Tls];
    private static readonly AddressKind[] IpClients = [AddressKind.Tcp, AddressKind.Udp, AddressKind.Tls];
    private static readonly AddressKind[] StreamClients = [AddressKind.Tcp, AddressKind.Tls];

    public static readonly KindRule[] Kinds =
    [
        new(AddressKind.Stdio, "stdio", ParameterShape.None, "stdio"),
        new(AddressKind.Tcp, "tcp", ParameterShape.HostPort, "tcp:HOST:PORT"),
        new(AddressKind.TcpListen, "tcp-listen", ParameterShape.ListenPort, "tcp-listen:[BIND:]PORT"),
        new(AddressKind.Udp, "udp", ParameterShape.HostPort, "udp:HOST:PORT"),
        new(AddressKind.UdpListen, "udp-listen", ParameterShape.ListenPort, "udp-listen:[BIND:]PORT"),
        new(AddressKind.Unix, "unix", ParameterShape.Text, "unix:PATH"),
        new(AddressKind.UnixListen, "unix-listen", ParameterShape.Text, "unix-listen:PATH"),
        new(AddressKind.Exec, "exec", ParameterShape.Text, "exec:PROGRAM [ARGS...]"),
        new(AddressKind.Shell, "sh", ParameterShape.Text, "sh:COMMAND"),
        new(AddressKind.File, "file", ParameterShape.Text, "file:PATH"),
        new(AddressKind.Tls, "tls", ParameterShape.HostPort, "tls:HOST:PORT"),
        new(AddressKind.TlsListen, "tls-listen", ParameterShape.ListenPort, "tls-listen:[BIND:]PORT"),
    ];

    public static readonly Keyword[] Keywords =
    [
        new("-", AddressKind.Stdio),
        new("stdio", AddressKind.Stdio),
        new("tcp", AddressKind.Tcp),
        new("tcp4", AddressKind.Tcp, IpFamily.IPv4, Socat: true),
        new("tcp6", AddressKind.Tcp, IpFamily.IPv6, Socat: true),
        new("tcp-connect", AddressKind.Tcp, Socat: true),
        new("tcp-listen", AddressKind.TcpListen),
        new("tcp-l", AddressKind.TcpListen, Socat: true),
        new("tcp4-listen", AddressKind.TcpListen, IpFamily.IPv4, Socat: true),
        new("tcp6-listen", AddressKind.TcpListen, IpFamily.IPv6, Socat: true),
        new("udp", AddressKind.Udp),
        new("udp4", AddressKind.Udp, IpFamily.IPv4, Socat: true),
        new("udp6", AddressKind.Udp, IpFamily.IPv6, Socat: true),
        new("udp-listen", AddressKind.UdpListen),
        new("udp-l", AddressKind.UdpListen, Socat: true),
        new("udp4-listen", AddressKind.UdpListen, IpFamily.IPv4, Socat: true),
        new("udp6-listen", AddressKind.UdpListen, IpFamily.IPv6, Socat: true),
        new("unix", AddressKind.Unix),
        new("unix-connect", AddressKind.Unix, Socat: true),
        new("abstract-connect", AddressKind.Unix, PathPrefix: "@", Socat: true),
        new("unix-listen", AddressKind.UnixListen),
        new("unix-l", AddressKind.UnixListen, Socat: true),
        new("abstract-listen", AddressKind.UnixListen, PathPrefix: "@", Socat: true),
        new("exec", AddressKind.Exec),
        new("sh", AddressKind.Shell),
        new("system", AddressKind.Shell, Socat: true),
        new("file", AddressKind.File),
        new("open", AddressKind.File, Socat: true),
        new("tls", AddressKind.Tls),
        new("openssl", AddressKind.Tls, Socat: true),
        new("openssl-connect", AddressKind.Tls, Socat: true),
        new("tls-listen", AddressKind.TlsListen),
        new("openssl-listen", AddressKind.TlsListen, Socat: true),
    ];

    public static readonly OptionRule[] Options =
    [
        new("fork", [], false, Listeners, static (o, _, _) => o with { Fork = true }),
        new("max-conns", ["max-children"], true, Listeners, static (o, v, a) => o with { MaxConns = AddressValues.Count(v, "max-conns", a) }),
        new("bind", [], true, [.. IpKinds, AddressKind.Unix], static (o, v, a) => o with { Bind = AddressValues.Bind(v, a) }),
        new("sourceport", [], true, IpClients, static (o, v, a) => o with { SourcePort = AddressValues.Port(v, a, allowZero: false) }),
        new("4", ["ipv4"], false, IpKinds, static (o, _, a) => o with { Family = AddressValues.Family(o, IpFamily.IPv4, a) }),
        new("6", ["ipv6"], false, IpKinds, static (o, _, a) => o with { Family = AddressValues.Family(o, IpFamily.IPv6, a) }),
        new("pf", [], true, IpKinds, static (o, v, a) => o with { Family = AddressValues.Family(o, AddressValues.ProtocolFamily(v, a), a) }),
        new("reuseaddr", [], false, Listeners, static (o, _, _) => o), // always set on our listeners (plain SO_REUSEADDR)
        new("rdonly", [], false, [AddressKind.File], static (o, _, _) => o with { ReadOnly = true }),
        new("wronly", [], false, [AddressKind.File], static (o, _, _) => o with { WriteOnly = true }),
        new("trunc", [], false, [AddressKind.File], static (o, _, _) => o with { Truncate = true }),
        new("cert", ["certificate"], true, TlsKinds, static (o, v, a) => o with { Certificate = AddressValues.FileName(v, "cert", a) }),
        new("key", [], true, TlsKinds, static (o, v, a) => o with { Key = AddressValues.FileName(v, "key", a) }),
        new("cafile", [], true, TlsKinds, static (o, v, a) => o with { CaFile = AddressValues.FileName(v, "cafile", a) }),
        new("verify", [], true, TlsClient, static (o, v, a) => o with { Verify = AddressValues.Flag(v, "verify", a) }),
        new("pin", [], true, TlsClient, static (o, v, a) => o with { Pin = AddressValues.Pin(v, a) }),
        new("servername", ["snihost"], true, TlsClient, static (o, v, a) => o with { ServerName = AddressValues.Host(v, a) }),
        new("alpn", [], true, TlsKinds, static (o, v, a) => o with { Alpn = AddressValues.NameList(v, "alpn", a) }),
        new("ciphers", ["cipher", "openssl-cipherlist"], true, TlsKinds, static (o, v, a) => o with { Ciphers = AddressValues.NameList(v, "ciphers", a) }),
        new("proxy", [], true, StreamClients, static (o, v, a) => o with { Proxy = AddressValues.ProxyAddress(v, a) }),
        new("proxy-type", [], true, StreamClients, static (o, v, a) => o with { ProxyType = AddressValues.ProxyType(v, a) }),
        new("proxy-auth", [], true, StreamClients, static (o, v, a) => o with { ProxyAuth = AddressValues.ProxyAuth(v, a) }),
    ];

    public static KindRule Rule(AddressKind kind) => Kinds.First(k => k.Kind == kind);

    public static Keyword? FindKeyword(string name) => Keywords.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));

    public static OptionRule? FindOption(string name) => Options.FirstOrDefault(o =>
        string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase) || o.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase)));
}
