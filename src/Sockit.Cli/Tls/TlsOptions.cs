using System.CommandLine;
using Sockit.Cli.Commands;
using Sockit.Security;

namespace Sockit.Cli.Tls;

/// <summary>
/// The TLS flags, ncat's spellings plus sockit's own (<c>--pin</c>, <c>--insecure</c>), shared by every stream
/// command. Any of them turns TLS on; <paramref name="switchName"/> is the plain switch (<c>--ssl</c> for nc/cat,
/// <c>--tls</c> for serve/connect, each also accepting the other spelling).
/// </summary>
internal sealed class TlsOptions(string switchName = "--ssl")
{
    private readonly Option<bool> _on = new(switchName, switchName == "--ssl" ? "--tls" : "--ssl") { Description = "Speak TLS (1.2 or 1.3); a client verifies the server's certificate unless told otherwise" };
    private readonly Option<string?> _cert = new("--ssl-cert") { Description = "Certificate to present: PEM (chain after it) or PKCS#12; a listener without one makes a throwaway self-signed one", HelpName = "FILE" };
    private readonly Option<string?> _key = new("--ssl-key") { Description = "Private key (PEM, RSA or ECDSA, PKCS#8 encrypted or not) for --ssl-cert; default: in the certificate file", HelpName = "FILE" };
    private readonly Option<string?> _password = new("--ssl-key-password") { Description = "Password of an encrypted key or PKCS#12 file", HelpName = "TEXT" };
    private readonly Option<string?> _trust = new("--ssl-trustfile") { Description = "PEM roots to trust instead of the system store (a private CA)", HelpName = "FILE" };
    private readonly Option<bool> _verify = new("--ssl-verify") { Description = "Client: verify (the default anyway). Listener: require client certificates signed by --ssl-trustfile" };
    private readonly Option<string?> _ciphers = new("--ssl-ciphers") { Description = "Allowed cipher suites, IANA names separated by ':' or ','", HelpName = "LIST" };
    private readonly Option<string?> _serverName = new("--ssl-servername") { Description = "Name sent as SNI and checked against the certificate (default: HOST)", HelpName = "NAME" };
    private readonly Option<string?> _alpn = new("--ssl-alpn") { Description = "ALPN protocols, comma-separated, in order of preference", HelpName = "LIST" };
    private readonly Option<string?> _pin = new("--pin") { Description = "Accept exactly the certificate with this fingerprint (what a sockit listener prints)", HelpName = "sha256:HEX" };
    private readonly Option<bool> _insecure = new("--insecure") { Description = "Do not verify the server's certificate at all (says so on stderr)" };
    private readonly Option<string?> _handshakeTimeout = new("--ssl-handshake-timeout") { Description = "Most time a TLS handshake may take (default 10 s)", HelpName = "SECS" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _on, _cert, _key, _password, _trust, _verify, _ciphers, _serverName, _alpn, _pin, _insecure, _handshakeTimeout })
            command.Options.Add(option);
    }

    /// <summary>The TLS settings, or <c>null</c> when no TLS flag was given.</summary>
    public TlsSettings? Settings(ParseResult r)
    {
        bool any = r.GetValue(_on) || r.GetValue(_verify) || r.GetValue(_insecure)
            || new[] { _cert, _key, _password, _trust, _ciphers, _serverName, _alpn, _pin, _handshakeTimeout }.Any(o => r.GetValue(o) is not null);
        if (!any) return null;
        CertificatePin? pin = null;
        if (r.GetValue(_pin) is { } pinText)
        {
            try
            {
                pin = CertificatePin.Parse(pinText);
            }
            catch (FormatException e)
            {
                throw new UserError($"--pin: {e.Message}");
            }
        }
        if (pin is not null && r.GetValue(_insecure)) throw new UserError("--pin and --insecure cannot be used together");
        if (r.GetValue(_key) is not null && r.GetValue(_cert) is null) throw new UserError("--ssl-key needs --ssl-cert");
        return new TlsSettings
        {
            CertificateFile = r.GetValue(_cert),
            KeyFile = r.GetValue(_key),
            KeyPassword = r.GetValue(_password),
            TrustFile = r.GetValue(_trust),
            Verify = r.GetValue(_verify),
            Ciphers = List(r.GetValue(_ciphers), ':', ','),
            ServerName = r.GetValue(_serverName),
            Alpn = List(r.GetValue(_alpn), ',') ?? [],
            Pin = pin,
            Insecure = r.GetValue(_insecure),
            HandshakeTimeout = r.GetValue(_handshakeTimeout) is { } t ? ValueParsers.Duration(t, "--ssl-handshake-timeout") : TimeSpan.FromSeconds(10),
        };
    }

    private static string[]? List(string? text, params char[] separators)
        => text?.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
