using System.Globalization;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using Sockit.Relay;

namespace Sockit.Security;

/// <summary>
/// Puts TLS on any <see cref="DuplexEnd"/>, as client or server: the handshake runs here, with its timeout and its
/// verification policy, and what comes back is again an end (<see cref="TlsEnd"/>). TLS 1.2 and 1.3 only.
/// </summary>
public static class TlsLayer
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// The client side of a handshake over <paramref name="inner"/>, for <paramref name="host"/> (the name or
    /// address connected to: the default for SNI and for the name the certificate must carry).
    /// On failure <paramref name="inner"/> is disposed.
    /// </summary>
    /// <exception cref="TlsException">The handshake failed or the server's certificate was refused; the message says why.</exception>
    public static async Task<TlsEnd> ConnectAsync(DuplexEnd inner, string host, TlsClientOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        string name = options.ServerName ?? host;
        var verifier = PeerVerifier.ForServer(name, options);
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = name,
            EnabledSslProtocols = Protocols,
            CertificateChainPolicy = PeerVerifier.ChainPolicy(options.TrustedRoots, verifyingServer: true),
            RemoteCertificateValidationCallback = verifier.Verify,
            ApplicationProtocols = Alpn(options.ApplicationProtocols),
            ClientCertificateContext = options.ClientCertificate?.Context,
            CipherSuitesPolicy = Ciphers(options.CipherSuites),
        };
        return await HandshakeAsync(inner, verifier, options.HandshakeTimeout, client: true,
            (ssl, token) => ssl.AuthenticateAsClientAsync(auth, token), cancel).ConfigureAwait(false);
    }

    /// <summary>The server side of a handshake over <paramref name="inner"/>. On failure <paramref name="inner"/> is disposed.</summary>
    /// <exception cref="TlsException">The handshake failed, timed out, or the client's certificate was refused.</exception>
    public static async Task<TlsEnd> AcceptAsync(DuplexEnd inner, TlsServerOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        PeerVerifier? verifier = null;
        SslServerAuthenticationOptions auth;
        if (options.RequireClientCertificate)
        {
            // The verifier keeps this client's refusal and certificate, so it and its options are per handshake.
            verifier = PeerVerifier.ForClient(options);
            auth = ServerAuthentication(options, verifier);
        }
        else
        {
            // No client certificate is asked for: nothing per client to verify, so one set of options serves every handshake.
            auth = SharedServerAuthentication.GetValue(options, static o => ServerAuthentication(o, null));
        }
        return await HandshakeAsync(inner, verifier, options.HandshakeTimeout, client: false,
            (ssl, token) => ssl.AuthenticateAsServerAsync(auth, token), cancel).ConfigureAwait(false);
    }

    // Per options instance (a record: `with` makes a new one, so a cached entry never goes stale).
    private static readonly ConditionalWeakTable<TlsServerOptions, SslServerAuthenticationOptions> SharedServerAuthentication = new();

    private static SslServerAuthenticationOptions ServerAuthentication(TlsServerOptions options, PeerVerifier? verifier) => new()
    {
        // The certificate context is built once per identity (TlsIdentity); the runtime keeps its OpenSSL SSL_CTX
        // there and reuses it for every handshake, as long as resumption is allowed (below) and no cipher list is set.
        ServerCertificateContext = options.Certificate.Context,
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = options.RequireClientCertificate,
        CertificateChainPolicy = options.RequireClientCertificate ? PeerVerifier.ChainPolicy(options.ClientRoots, verifyingServer: false) : null,
        RemoteCertificateValidationCallback = verifier is null ? null : verifier.Verify,
        ApplicationProtocols = Alpn(options.ApplicationProtocols),
        CipherSuitesPolicy = Ciphers(options.CipherSuites),
        // Resumption allowed: with it off the runtime builds a new SSL_CTX (cipher tables, certificate, key) for every
        // handshake, measured at about a third of the server's CPU per handshake (docs/benchmarks.md). It changes
        // nothing on the wire for a client that does not resume: OpenSSL 3 sends its two TLS 1.3 session tickets
        // either way (docs/tls.md says what that costs a send-only client).
        AllowTlsResume = true,
    };

    private static async Task<TlsEnd> HandshakeAsync(
        DuplexEnd inner, PeerVerifier? verifier, TimeSpan timeout, bool client,
        Func<SslStream, CancellationToken, Task> authenticate, CancellationToken cancel)
    {
        var stream = new EndStream(inner);
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            await authenticate(ssl, deadline.Token).ConfigureAwait(false);
            stream.Handshaking = false;
            // A write lost to a peer that left: harmless only for a TLS 1.3 server, whose last handshake write is
            // before the client's Finished it has read (what was lost is the session tickets). Anywhere else the peer
            // did not get our last flight, and the handshake failed.
            if (client || ssl.SslProtocol != SslProtocols.Tls13) stream.ThrowIfPeerLeft();
            return new TlsEnd(inner, ssl, verifier?.PeerCertificate, isServer: !client, peerLeft: stream.PeerLeft);
        }
        catch (Exception e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            await inner.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && cancel.IsCancellationRequested) throw;
            if (e is OperationCanceledException)
                throw new TlsException($"TLS handshake with {inner.Name} timed out after {Seconds(timeout)}", e);
            throw new TlsException(verifier?.Refusal ?? HandshakeErrors.Describe(e, inner.Name, client), e);
        }
    }

    private static List<SslApplicationProtocol>? Alpn(IReadOnlyList<string> names)
        => names.Count == 0 ? null : names.Select(n => new SslApplicationProtocol(n)).ToList();

    /// <summary>Checks that every name is a cipher suite this layer can ask for, so a bad one fails a start, not a handshake.</summary>
    /// <exception cref="TlsException">A name is not a cipher suite.</exception>
    internal static IReadOnlyList<string>? CheckCipherSuites(IReadOnlyList<string>? names)
    {
        Ciphers(names);
        return names;
    }

    private static CipherSuitesPolicy? Ciphers(IReadOnlyList<string>? names)
    {
        if (names is null) return null;
        if (OperatingSystem.IsWindows()) throw new TlsException("choosing cipher suites is not supported on Windows");
        return new CipherSuitesPolicy(names.Select(ParseCipher));
    }

    private static TlsCipherSuite ParseCipher(string name)
        => Enum.TryParse(name, ignoreCase: true, out TlsCipherSuite suite) && !int.TryParse(name, out _)
            ? suite
            : throw new TlsException($"unknown cipher suite '{name}' (give IANA names such as TLS_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
