using System.Security.Cryptography.X509Certificates;

namespace Sockit.IntegrationTests.Tls;

/// <summary>
/// The rows of the certificate table in docs/tls.md: what a server presents, what the client trusts, and whether a
/// client that verifies by default accepts it (null) or refuses it with a line containing the given text.
/// Every refusal is overridden by --insecure or by pinning the certificate; the tests check that too.
/// </summary>
public static class CertificateMatrix
{
    public const string Host = "127.0.0.1";

    public static TheoryData<string> Rows => new(
        "valid-private-ca", "self-signed", "expired", "not-yet-valid", "wrong-host", "wrong-key-usage",
        "untrusted-ca", "pinned-right", "pinned-wrong");

    public static TheoryData<string> Refused => new(
        "self-signed", "expired", "not-yet-valid", "wrong-host", "wrong-key-usage", "untrusted-ca", "pinned-wrong");

    /// <summary>The server's certificate for <paramref name="row"/>.</summary>
    public static X509Certificate2 Certificate(TestCertificates certs, string row)
    {
        var now = DateTimeOffset.UtcNow;
        return row switch
        {
            "valid-private-ca" or "pinned-wrong" => certs.Leaf([Host, "localhost"], certs.Ca),
            "self-signed" or "pinned-right" => certs.Leaf([Host, "localhost"]),
            "expired" => certs.Leaf([Host], certs.Ca, now.AddDays(-30), now.AddDays(-1)),
            "not-yet-valid" => certs.Leaf([Host], certs.Ca, now.AddDays(1), now.AddDays(30)),
            "wrong-host" => certs.Leaf(["other.test", "www.other.test"], certs.Ca),
            "wrong-key-usage" => certs.Leaf([Host], certs.Ca, usage: "1.3.6.1.5.5.7.3.2"),
            "untrusted-ca" => certs.Leaf([Host], certs.OtherCa),
            _ => throw new ArgumentException($"no row '{row}'", nameof(row)),
        };
    }

    /// <summary>True when the row pins a fingerprint; "pinned-wrong" pins one that is not the server's.</summary>
    public static bool Pins(string row) => row is "pinned-right" or "pinned-wrong";

    /// <summary>Null when the row is accepted; else text the refusal line contains.</summary>
    public static string? Refusal(string row) => row switch
    {
        "valid-private-ca" or "pinned-right" => null,
        "self-signed" => $"certificate for {Host} is self-signed and not trusted (use --ssl-trustfile, --pin sha256:... or --insecure)",
        "expired" => $"certificate for {Host} expired on ",
        "not-yet-valid" => $"certificate for {Host} is not valid before ",
        "wrong-host" => $"certificate for {Host} names other.test, www.other.test, not {Host}",
        "wrong-key-usage" => $"certificate for {Host} is not allowed for TLS server authentication",
        "untrusted-ca" => $"certificate for {Host} is signed by an unknown CA (CN=sockit untrusted CA)",
        "pinned-wrong" => $"certificate for {Host} has fingerprint sha256:",
        _ => throw new ArgumentException($"no row '{row}'", nameof(row)),
    };
}
