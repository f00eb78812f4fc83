using System.Net;
using Sockit.Access;
using Sockit.Relay;
using Sockit.Security;
using Sockit.Transports;

namespace Sockit.Hosting;

/// <summary>
/// What every host over a stream listener shares: binding from <see cref="HostOptions"/>, the bound address, and
/// closing. <see cref="StreamHost"/> runs a protocol handler per connection, <see cref="RelayListener"/> a relay.
/// </summary>
public abstract class ListenerHost : IAsyncDisposable
{
    private protected ListenerHost(StreamServer server) => Server = server;

    private protected StreamServer Server { get; }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint => Server.LocalEndPoint;

    /// <summary>The bound port, or 0 for a Unix socket.</summary>
    public int Port => Server.Port;

    /// <summary>The listening address as the seed prints it (see <see cref="StreamServer.DisplayName"/>).</summary>
    public string DisplayName => Server.DisplayName;

    /// <summary>Closes the listening socket (and its Unix socket file).</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Server.DisposeAsync();
    }

    /// <summary>
    /// <paramref name="handler"/> behind a TLS handshake when <paramref name="tls"/> is set. A failed handshake
    /// throws its <see cref="TlsException"/> to the server, whose error callback logs it: one line, and the server goes on.
    /// </summary>
    private protected static ConnectionHandler Secured(ConnectionHandler handler, TlsServerOptions? tls)
        => tls is null ? handler : async (connection, abort) =>
        {
            TlsEnd secured = await TlsLayer.AcceptAsync(connection, tls, abort).ConfigureAwait(false);
            await using (secured.ConfigureAwait(false))
            {
                await handler(secured, abort).ConfigureAwait(false);
            }
        };

    /// <summary>Binds and listens as <paramref name="options"/> say; a handler's failure goes to <paramref name="onError"/>.</summary>
    private protected static StreamServer Listen(HostOptions options, Action<DuplexEnd, Exception>? onError)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StreamServer.Listen(options.Endpoint, new StreamServerOptions
        {
            Backlog = options.Backlog,
            ShutdownGrace = options.ShutdownGrace,
            Trace = options.Trace,
            UnixMode = options.UnixMode,
            MaxConnections = options.MaxConnections,
            OnConnectionError = onError,
            Access = options.Access,
            OnRefused = AccessText.RefusalLog(options.OnRefused, options.Log),
        });
    }
}
