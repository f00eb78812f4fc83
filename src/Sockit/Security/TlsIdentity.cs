using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Security;

/// <summary>
/// A certificate with its private key and the intermediate certificates sent with it: what a server presents,
/// or a client for mutual TLS. Made by <see cref="TlsCertificates"/>; built once and shared by every connection.
/// </summary>
public sealed class TlsIdentity
{
    internal TlsIdentity(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        if (!certificate.HasPrivateKey) throw new TlsException($"certificate '{certificate.Subject}' comes without its private key");
        Certificate = certificate;
        Chain = chain;
        Pin = CertificatePin.Of(certificate);
        // offline: never fetch missing intermediates over the network; what the files hold is what is sent.
        Context = SslStreamCertificateContext.Create(certificate, chain, offline: true);
    }

    /// <summary>The end-entity certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates sent after it (may be empty).</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>The certificate's fingerprint, in the form <c>--pin</c> takes.</summary>
    public CertificatePin Pin { get; }

    internal SslStreamCertificateContext Context { get; }
}
