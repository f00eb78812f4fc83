using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Security;

/// <summary>
/// Decides whether one peer's certificate is accepted, and when it is not, says why in one line. One per
/// handshake: the reason is kept for the <see cref="TlsException"/> thrown once SslStream gives up.
/// </summary>
/// <remarks>
/// SslStream builds the chain with the policy from <see cref="ChainPolicy"/> (custom roots when a trust file is
/// given, the purpose this side needs, no revocation fetch: the network may be loopback only) and reports
/// <see cref="SslPolicyErrors"/>; this class turns those and the chain's status into the refusal text.
/// </remarks>
internal sealed class PeerVerifier
{
    internal const string Hint = "(use --ssl-trustfile, --pin sha256:... or --insecure)";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1", ClientAuth = "1.3.6.1.5.5.7.3.2";

    private readonly string _who;
    private readonly bool _verifyingServer;
    private readonly bool _insecure;
    private readonly CertificatePin? _pin;
    private readonly bool _required;

    private PeerVerifier(string who, bool verifyingServer, bool insecure, CertificatePin? pin, bool required)
    {
        _who = who;
        _verifyingServer = verifyingServer;
        _insecure = insecure;
        _pin = pin;
        _required = required;
    }

    /// <summary>Why the peer was refused, once it was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The peer's certificate as it was checked (null when it sent none).</summary>
    public X509Certificate2? PeerCertificate { get; private set; }

    public static PeerVerifier ForServer(string host, TlsClientOptions options)
        => new(host, verifyingServer: true, options.Insecure, options.Pin, required: true);

    public static PeerVerifier ForClient(TlsServerOptions options)
        => new("the client", verifyingServer: false, insecure: false, pin: null, options.RequireClientCertificate);

    public static X509ChainPolicy ChainPolicy(X509Certificate2Collection? roots, bool verifyingServer)
    {
        var policy = new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            VerificationTimeIgnored = false,
        };
        policy.ApplicationPolicy.Add(new Oid(verifyingServer ? ServerAuth : ClientAuth));
        if (roots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }
        return policy;
    }

    public bool Verify(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        PeerCertificate = certificate as X509Certificate2 ?? (certificate is null ? null : new X509Certificate2(certificate));
        Refusal = Judge(PeerCertificate, chain, errors);
        return Refusal is null;
    }

    private string? Judge(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_insecure) return null;
        if (certificate is null)
            return _required ? $"{Subject} sent no certificate{(_verifyingServer ? "" : " (this server requires one)")}" : null;
        if (_pin is not null)
        {
            return _pin.Matches(certificate) ? null
                : $"certificate for {_who} has fingerprint {CertificatePin.Of(certificate)}, not the pinned {_pin}";
        }
        if (!_required && !_verifyingServer) return null;
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return ChainRefusal(certificate, chain);
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return $"certificate for {_who} names {CertificateNames.Describe(certificate)}, not {_who} (use --ssl-servername NAME, --pin sha256:... or --insecure)";
        return null;
    }

    private string Subject => _verifyingServer ? _who : "the client";

    private string ChainRefusal(X509Certificate2 leaf, X509Chain? chain)
    {
        string what = _verifyingServer ? $"certificate for {_who}" : "client certificate";
        string hint = _verifyingServer ? " " + Hint : " (not signed by a CA in --ssl-trustfile)";
        X509ChainStatusFlags flags = Flags(chain);
        var now = DateTime.Now;
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0 && leaf.NotAfter < now)
            return $"{what} expired on {Stamp(leaf.NotAfter)}{hint}";
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0 && leaf.NotBefore > now)
            return $"{what} is not valid before {Stamp(leaf.NotBefore)}{hint}";
        bool selfSigned = leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData);
        if (selfSigned && (flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
            return $"{what} is self-signed and not trusted{hint}";
        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
            return $"{what} is signed by an unknown CA ({leaf.Issuer}){hint}";
        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
            return $"{what} is not allowed for TLS {(_verifyingServer ? "server" : "client")} authentication (its key usage forbids it){hint}";
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
            return $"{what} has an expired or not yet valid CA in its chain{hint}";
        string detail = chain is null ? "no chain" : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"{what} is not trusted: {detail}{hint}";
    }

    private static X509ChainStatusFlags Flags(X509Chain? chain)
    {
        if (chain is null) return X509ChainStatusFlags.PartialChain;
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain.ChainStatus) flags |= status.Status;
        return flags;
    }

    private static string Stamp(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
