using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Security;

/// <summary>Loads certificates and keys from files, or makes a throwaway one, for the TLS layer.</summary>
public static class TlsCertificates
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// Loads an identity: a PKCS#12 file (<c>.p12</c>/<c>.pfx</c>, or any file that is not PEM), or a PEM certificate
    /// file (leaf first, then its chain) with its key in <paramref name="keyFile"/> or, when that is <c>null</c>,
    /// in the certificate file itself. RSA and ECDSA keys, PKCS#8 encrypted with <paramref name="password"/> or not.
    /// </summary>
    /// <exception cref="TlsException">A file is missing, unreadable, or the key does not fit the certificate.</exception>
    public static TlsIdentity Load(string certificateFile, string? keyFile = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificateFile);
        return Guard(certificateFile, () => IsPem(certificateFile)
            ? LoadPem(certificateFile, keyFile ?? certificateFile, password)
            : LoadPkcs12(certificateFile, password));
    }

    /// <summary>Every certificate in a PEM file, as roots to trust (a private CA, or a peer's own certificate).</summary>
    /// <exception cref="TlsException">The file is missing, unreadable, or holds no certificate.</exception>
    public static X509Certificate2Collection LoadTrustFile(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Guard(file, () =>
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(file);
            return roots.Count > 0 ? roots : throw new TlsException($"trust file {file} holds no PEM certificate");
        });
    }

    /// <summary>
    /// A self-signed ECDSA P-256 certificate made in memory, valid for a year from an hour ago, naming
    /// <c>localhost</c>, 127.0.0.1, ::1, the machine's host name and <paramref name="names"/>. Clients verify
    /// it by its fingerprint (<see cref="TlsIdentity.Pin"/>), not by a CA.
    /// </summary>
    public static TlsIdentity CreateEphemeral(IEnumerable<string>? names = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sockit ephemeral", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        var dnsNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        foreach (string name in (names ?? []).Append(Environment.MachineName))
        {
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
            else if (name.Length > 0 && dnsNames.Add(name)) san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth)], false));
        var now = DateTimeOffset.UtcNow;
        return new TlsIdentity(request.CreateSelfSigned(now.AddHours(-1), now.AddYears(1)), []);
    }

    private static TlsIdentity LoadPem(string certificateFile, string keyFile, string? password)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificateFile);
        if (all.Count == 0) throw new TlsException($"certificate file {certificateFile} holds no PEM certificate");
        string keyText = File.ReadAllText(keyFile);
        bool encrypted = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
            throw new TlsException($"key {keyFile} is encrypted in the legacy OpenSSL format; convert it: openssl pkcs8 -topk8 -in OLD -out NEW");
        if (encrypted && password is null)
            throw new TlsException($"key {keyFile} is encrypted: give its password (--ssl-key-password)");
        string certificateText = File.ReadAllText(certificateFile);
        X509Certificate2 leaf = encrypted
            ? X509Certificate2.CreateFromEncryptedPem(certificateText, keyText, password)
            : X509Certificate2.CreateFromPem(certificateText, keyText);
        var chain = new X509Certificate2Collection();
        for (int i = 1; i < all.Count; i++) chain.Add(all[i]);
        return new TlsIdentity(leaf, chain);
    }

    private static TlsIdentity LoadPkcs12(string file, string? password)
    {
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(file, password, X509KeyStorageFlags.EphemeralKeySet);
        X509Certificate2 leaf = all.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new TlsException($"PKCS#12 file {file} holds no certificate with a private key");
        var chain = new X509Certificate2Collection();
        foreach (var c in all)
            if (!ReferenceEquals(c, leaf)) chain.Add(c);
        return new TlsIdentity(leaf, chain);
    }

    private static bool IsPem(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> head = stackalloc byte[4096];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..n].IndexOf("-----BEGIN "u8) >= 0;
    }

    // One place that turns "file missing", "bad PEM", "wrong password" into one line naming the file.
    private static T Guard<T>(string file, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsException($"cannot read {file}: {e.Message}", e);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TlsException($"cannot load the certificate or key from {file}: {e.Message.TrimEnd('.')}", e);
        }
    }
}
