using System.Security.Cryptography.X509Certificates;

namespace Sockit.Security;

/// <summary>
/// How a TLS client checks and presents itself. The default verifies the server's certificate against the
/// system's trusted roots and the host name connected to; <see cref="Insecure"/> is the only way to skip that.
/// </summary>
public sealed record TlsClientOptions
{
    /// <summary>
    /// The name sent as SNI and checked against the certificate; <c>null</c> uses the host connected to
    /// (no SNI is sent for an IP address, but the certificate must still name that IP).
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>Roots trusted instead of the system store (a private CA); <c>null</c> uses the system store.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>When set, exactly the certificate with this fingerprint is accepted, whatever signed it or names it.</summary>
    public CertificatePin? Pin { get; init; }

    /// <summary>Accepts any certificate, unverified. The caller is expected to say so to the user.</summary>
    public bool Insecure { get; init; }

    /// <summary>A certificate with its private key, presented when the server asks (mutual TLS).</summary>
    public TlsIdentity? ClientCertificate { get; init; }

    /// <summary>Application protocols offered by ALPN, in order of preference (e.g. <c>h2</c>, <c>http/1.1</c>).</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>Allowed cipher suites by IANA name (TLS_AES_128_GCM_SHA256...); <c>null</c> leaves OpenSSL's defaults.</summary>
    public IReadOnlyList<string>? CipherSuites { get; init; }

    /// <summary>How long the handshake may take.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
