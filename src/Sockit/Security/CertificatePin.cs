using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Security;

/// <summary>
/// The SHA-256 fingerprint of one certificate (of its DER bytes), written <c>sha256:HEX</c>: what a sockit server
/// prints for its certificate and what <c>--pin</c> accepts. A pinned client accepts exactly that certificate.
/// </summary>
public sealed class CertificatePin : IEquatable<CertificatePin>
{
    private const string Prefix = "sha256:";
    private readonly byte[] _hash;

    private CertificatePin(byte[] hash) => _hash = hash;

    /// <summary>The fingerprint of <paramref name="certificate"/>.</summary>
    public static CertificatePin Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificatePin(SHA256.HashData(certificate.RawDataMemory.Span));
    }

    /// <summary>
    /// Parses <c>sha256:HEX</c>: 64 hex digits, either case, optionally in colon-separated pairs as
    /// <c>openssl x509 -fingerprint -sha256</c> prints them.
    /// </summary>
    /// <exception cref="FormatException">Not a SHA-256 fingerprint.</exception>
    public static CertificatePin Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"a pin is sha256:HEX (64 hex digits), not '{text}'");
        string hex = text[Prefix.Length..].Replace(":", "", StringComparison.Ordinal);
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            throw new FormatException($"a pin is sha256: and 64 hex digits; '{text}' has {hex.Length} after the prefix");
        return new CertificatePin(Convert.FromHexString(hex));
    }

    /// <summary>Whether <paramref name="certificate"/> is the pinned one.</summary>
    public bool Matches(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.RawDataMemory.Span, hash);
        return hash.SequenceEqual(_hash);
    }

    /// <summary><c>sha256:</c> and 64 lower-case hex digits.</summary>
    public override string ToString() => Prefix + Convert.ToHexStringLower(_hash);

    /// <inheritdoc />
    public bool Equals(CertificatePin? other) => other is not null && _hash.AsSpan().SequenceEqual(other._hash);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CertificatePin);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_hash, 0);
}
