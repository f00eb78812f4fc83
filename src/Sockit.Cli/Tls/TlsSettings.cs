using Sockit.Security;

namespace Sockit.Cli.Tls;

/// <summary>What the TLS flags asked for, parsed and checked; files are loaded when a side is built.</summary>
internal sealed record TlsSettings
{
    public string? CertificateFile { get; init; }
    public string? KeyFile { get; init; }
    public string? KeyPassword { get; init; }
    public string? TrustFile { get; init; }
    /// <summary>--ssl-verify: on a listener, require client certificates.</summary>
    public bool Verify { get; init; }
    public IReadOnlyList<string>? Ciphers { get; init; }
    public string? ServerName { get; init; }
    public IReadOnlyList<string> Alpn { get; init; } = [];
    public CertificatePin? Pin { get; init; }
    public bool Insecure { get; init; }
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The client side, files loaded. A bad file is one line and exit 1.</summary>
    public TlsClientOptions Client() => Loading(() => new TlsClientOptions
    {
        ServerName = ServerName,
        TrustedRoots = TrustFile is null ? null : TlsCertificates.LoadTrustFile(TrustFile),
        Pin = Pin,
        Insecure = Insecure,
        ClientCertificate = CertificateFile is null ? null : TlsCertificates.Load(CertificateFile, KeyFile, KeyPassword),
        ApplicationProtocols = Alpn,
        CipherSuites = Ciphers,
        HandshakeTimeout = HandshakeTimeout,
    });

    /// <summary>
    /// The listener side, files loaded; without --ssl-cert a throwaway self-signed certificate, whose fingerprint
    /// <paramref name="announce"/> prints so clients can pin it.
    /// </summary>
    public TlsServerOptions Server(Action<string> announce)
    {
        if (Pin is not null || Insecure || ServerName is not null)
            throw new UserError("--pin, --insecure and --ssl-servername are for clients; a listener presents --ssl-cert");
        if (Verify && TrustFile is null)
            throw new UserError("--ssl-verify on a listener needs --ssl-trustfile: the CA that signs client certificates");
        var options = Loading(() => new TlsServerOptions
        {
            Certificate = CertificateFile is null ? TlsCertificates.CreateEphemeral() : TlsCertificates.Load(CertificateFile, KeyFile, KeyPassword),
            RequireClientCertificate = Verify,
            ClientRoots = TrustFile is null ? null : TlsCertificates.LoadTrustFile(TrustFile),
            ApplicationProtocols = Alpn,
            CipherSuites = Ciphers,
            HandshakeTimeout = HandshakeTimeout,
        });
        if (CertificateFile is null)
            announce($"TLS: throwaway self-signed certificate {options.Certificate.Pin} (clients: --pin {options.Certificate.Pin})");
        return options;
    }

    private static T Loading<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (TlsException e)
        {
            throw new UserError($"[TLS error]: {e.Message}");
        }
    }
}
