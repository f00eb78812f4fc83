using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tls;

/// <summary>
/// The certificates a TLS test needs, made by the test itself with .NET's CertificateRequest and written as PEM
/// into a private temp dir (so the CLI and openssl can load them too): a private CA, a second CA nobody trusts,
/// and leaves signed by either with chosen names, validity and key usage.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1", ClientAuth = "1.3.6.1.5.5.7.3.2";
    private readonly TempDir _dir = new();

    public TestCertificates()
    {
        Ca = MakeCa("CN=sockit test CA");
        OtherCa = MakeCa("CN=sockit untrusted CA");
        CaFile = WriteCertificate("ca.pem", Ca);
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 OtherCa { get; }

    /// <summary>The private CA's certificate as PEM: the trust file.</summary>
    public string CaFile { get; }

    public string Dir => _dir.Path;

    /// <summary>A leaf certificate with its key, for <paramref name="names"/> (DNS names or IPs).</summary>
    public X509Certificate2 Leaf(
        string[] names, X509Certificate2? issuer = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        string usage = ServerAuth, bool rsa = false, string subject = "CN=sockit test leaf")
    {
        using var key = rsa ? (AsymmetricAlgorithm)RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest(subject, r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in names)
        {
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var from = notBefore ?? now.AddDays(-1);
        var to = notAfter ?? now.AddDays(30);
        X509Certificate2 signed;
        if (issuer is null)
        {
            signed = request.CreateSelfSigned(from, to);
        }
        else
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            // The CAs are ECDSA; an RSA leaf needs the issuer's signature generator rather than the issuer certificate overload.
            using var issuerKey = issuer.GetECDsaPrivateKey()!;
            using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), from, to, RandomNumberGenerator.GetBytes(8));
            signed = key is RSA rk ? issued.CopyWithPrivateKey(rk) : issued.CopyWithPrivateKey((ECDsa)key);
        }
        return signed;
    }

    /// <summary>A leaf for client authentication (mutual TLS), signed by the private CA.</summary>
    public X509Certificate2 ClientLeaf() => Leaf(["client.test"], Ca, usage: ClientAuth, subject: "CN=sockit test client");

    /// <summary>Writes the certificate and key as PEM files; returns (certFile, keyFile).</summary>
    public (string Cert, string Key) WritePem(string name, X509Certificate2 certificate, string? password = null, params X509Certificate2[] chain)
    {
        string cert = _dir.File(name + ".crt"), key = _dir.File(name + ".key");
        File.WriteAllText(cert, string.Concat(new[] { certificate }.Concat(chain).Select(c => c.ExportCertificatePem() + "\n")));
        AsymmetricAlgorithm privateKey = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()!;
        File.WriteAllText(key, password is null
            ? privateKey.ExportPkcs8PrivateKeyPem()
            : privateKey.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        return (cert, key);
    }

    public string WriteCertificate(string name, X509Certificate2 certificate)
    {
        string file = _dir.File(name);
        File.WriteAllText(file, certificate.ExportCertificatePem() + "\n");
        return file;
    }

    public void Dispose() => _dir.Dispose();

    private static X509Certificate2 MakeCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddYears(-1), now.AddYears(2));
    }
}
