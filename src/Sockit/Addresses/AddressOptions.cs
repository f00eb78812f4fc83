using Sockit.Proxies;
using Sockit.Endpoints;
using Sockit.Security;

namespace Sockit.Addresses;

/// <summary>The options after an address's commas, typed. Which apply to which kind is checked by <see cref="AddressParser"/>.</summary>
public sealed record AddressOptions
{
    /// <summary>No options.</summary>
    public static readonly AddressOptions None = new();

    /// <summary><c>fork</c> (listeners): keep accepting; each client gets its own second address.</summary>
    public bool Fork { get; init; }

    /// <summary><c>max-conns=N</c> (socat: <c>max-children</c>; listeners with <c>fork</c>): most clients at once.</summary>
    public int? MaxConns { get; init; }

    /// <summary><c>bind=ADDR</c>: the local IP address (or, for <c>unix:</c>, the local socket path) to bind.</summary>
    public string? Bind { get; init; }

    /// <summary><c>sourceport=N</c> (tcp, udp clients): the local port to bind.</summary>
    public int? SourcePort { get; init; }

    /// <summary><c>4</c> / <c>6</c> (socat: <c>pf=ip4</c>, <c>tcp4:</c>...): the IP family.</summary>
    public IpFamily Family { get; init; } = IpFamily.Any;

    /// <summary><c>rdonly</c> (file): only read the file; what arrives is refused.</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>wronly</c> (file): only write to the file; nothing is read from it.</summary>
    public bool WriteOnly { get; init; }

    /// <summary><c>trunc</c> (file): empty the file when it is opened.</summary>
    public bool Truncate { get; init; }

    /// <summary><c>cert=FILE</c> (tls-listen: the certificate served; tls: a client certificate): PEM or PKCS#12.</summary>
    public string? Certificate { get; init; }

    /// <summary><c>key=FILE</c>: the PEM private key of <see cref="Certificate"/>, when it is not in the same file.</summary>
    public string? Key { get; init; }

    /// <summary><c>cafile=FILE</c> (tls: roots trusted instead of the system store; tls-listen: clients must present a certificate it signed).</summary>
    public string? CaFile { get; init; }

    /// <summary><c>verify=0</c> (tls): the server's certificate is not verified at all. Default true.</summary>
    public bool Verify { get; init; } = true;

    /// <summary><c>pin=sha256:HEX</c> (tls): exactly the server certificate with this fingerprint is accepted.</summary>
    public CertificatePin? Pin { get; init; }

    /// <summary><c>servername=NAME</c> (tls): the name sent as SNI and checked in the certificate, instead of HOST.</summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// <c>alpn=P1:P2</c> (tls, tls-listen): ALPN protocols separated by ':', in order of preference (a client offers them,
    /// a listener picks the first its client also offers). Kept as the text so that options compare by value.
    /// </summary>
    public string? Alpn { get; init; }

    /// <summary>
    /// <c>ciphers=S1:S2</c> (socat: <c>cipher</c>, <c>openssl-cipherlist</c>; tls, tls-listen): the cipher suites
    /// allowed, IANA names separated by ':'. Kept as the text so that options compare by value.
    /// </summary>
    public string? Ciphers { get; init; }

    /// <summary>
    /// <c>proxy=HOST[:PORT]</c> (tcp, tls): connect through this proxy (ncat's <c>--proxy</c>); without a port, the
    /// type's default (3128 for http, 1080 for socks). TLS, if any, runs through the tunnel to the destination.
    /// </summary>
    public string? Proxy { get; init; }

    /// <summary><c>proxy-type=http|socks4|socks4a|socks5</c>: the protocol spoken to <see cref="Proxy"/> (default HTTP CONNECT).</summary>
    public ProxyKind ProxyType { get; init; } = ProxyKind.Http;

    /// <summary><c>proxy-auth=USER:PASS</c>: credentials for <see cref="Proxy"/> (the user id alone for socks4).</summary>
    public ProxyCredentials? ProxyAuth { get; init; }
}
