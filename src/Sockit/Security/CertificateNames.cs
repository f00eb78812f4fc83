using System.Security.Cryptography.X509Certificates;

namespace Sockit.Security;

/// <summary>What a certificate says about whom it is for: its subject alternative names, or its CN when it has none.</summary>
internal static class CertificateNames
{
    public static IReadOnlyList<string> Of(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != "2.5.29.17") continue;
            var san = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
            names.AddRange(san.EnumerateDnsNames());
            names.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }
        if (names.Count == 0)
        {
            string cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (cn.Length > 0) names.Add(cn);
        }
        return names;
    }

    /// <summary>"a.example, b.example" or "no name at all".</summary>
    public static string Describe(X509Certificate2 certificate)
    {
        var names = Of(certificate);
        return names.Count == 0 ? "no name at all" : string.Join(", ", names);
    }
}
