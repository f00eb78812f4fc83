using Sockit.Cli.Relay;
using Sockit.Relay;
using Sockit.Security;

namespace Sockit.Cli.Tls;

/// <summary>
/// One side's TLS, ready before any socket is opened (files loaded, a throwaway certificate made and announced),
/// then put on each connection: <see cref="SecureAsync"/> turns a plain end into a TLS end, or says why not.
/// </summary>
internal sealed class TlsSide
{
    private readonly TlsClientOptions? _client;
    private readonly TlsServerOptions? _server;
    private readonly Action<string> _verbose;

    private TlsSide(TlsClientOptions? client, TlsServerOptions? server, Action<string> verbose)
    {
        _client = client;
        _server = server;
        _verbose = verbose;
    }

    /// <summary>A client side (verifies the server), or <c>null</c> without TLS settings.</summary>
    public static TlsSide? Client(TlsSettings? settings, Action<string> verbose)
        => settings is null ? null : new TlsSide(settings.Client(), null, verbose);

    /// <summary>A server side (presents a certificate), or <c>null</c> without TLS settings; the pin of a throwaway certificate goes to stderr.</summary>
    public static TlsSide? Server(TlsSettings? settings, Action<string> announce, Action<string> verbose)
        => settings is null ? null : new TlsSide(null, settings.Server(announce), verbose);

    /// <summary>
    /// TLS over <paramref name="plain"/>. A client's failure is a <see cref="UserError"/> (one line, exit 1); a
    /// server's is one line on stderr and <c>null</c>, so a server goes on with its other clients.
    /// <paramref name="host"/> is what a client connected to (the name its certificate must carry).
    /// </summary>
    public Task<TlsEnd?> SecureAsync(DuplexEnd plain, string host, CancellationToken cancel)
        => _client is not null
            ? ClientAsync(plain, host, cancel)
            : TlsHandshakes.ServerAsync(plain, _server!, RelayLog.Error, _verbose, cancel);

    private async Task<TlsEnd?> ClientAsync(DuplexEnd plain, string host, CancellationToken cancel)
        => await TlsHandshakes.ClientAsync(plain, host, _client!, RelayLog.Error, _verbose, cancel);
}
