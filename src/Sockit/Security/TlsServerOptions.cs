using System.Security.Cryptography.X509Certificates;

namespace Sockit.Security;

/// <summary>How a TLS server presents itself and, optionally, checks its clients.</summary>
public sealed record TlsServerOptions
{
    /// <summary>The certificate (with key and chain) served; see <see cref="TlsCertificates"/> to load or make one.</summary>
    public required TlsIdentity Certificate { get; init; }

    /// <summary>Refuses clients that present no certificate or one that <see cref="ClientRoots"/> does not vouch for.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Roots that client certificates must chain to; <c>null</c> uses the system store.</summary>
    public X509Certificate2Collection? ClientRoots { get; init; }

    /// <summary>Application protocols this server speaks, in order of preference; the first the client also offers is chosen.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>Allowed cipher suites by IANA name; <c>null</c> leaves OpenSSL's defaults.</summary>
    public IReadOnlyList<string>? CipherSuites { get; init; }

    /// <summary>
    /// How long a client may take to complete the handshake, so that clients that connect and never speak
    /// cannot hold the server.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
