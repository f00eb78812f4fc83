using System.Net;
using Sockit.Hosting;
using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>
/// An HTTP CONNECT, SOCKS4/4a and SOCKS5 proxy on one port: the first byte of each client says which (5: SOCKS5,
/// 4: SOCKS4, anything else: HTTP). After the handshake the client is relayed to its destination by
/// <see cref="RelayListener"/>, so listening, caps, draining and the copy loop are the relay's own.
/// </summary>
/// <example>
/// <code>
/// var listen = new HostOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 1080), Log = Console.Error.WriteLine };
/// await using var proxy = ProxyServer.Start(listen, new ProxyServerOptions { Credentials = new("me", "secret") });
/// await proxy.RunAsync(stoppingToken);
/// </code>
/// </example>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly RelayListener _listener;

    private ProxyServer(RelayListener listener) => _listener = listener;

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public EndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>The bound port.</summary>
    public int Port => _listener.Port;

    /// <summary>The listening address as log lines print it.</summary>
    public string DisplayName => _listener.DisplayName;

    /// <summary>Binds and listens now (bind errors surface here) and logs <c>Listening on ..., relaying to proxy clients' destinations</c>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">socket, bind or listen failed.</exception>
    public static ProxyServer Start(HostOptions listen, ProxyServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        var handshake = new ProxyServerHandshake(options, listen.Trace);
        var relay = new RelayListenerOptions
        {
            FarName = $"the destinations of {Describe(options.Protocols)} clients",
            MaxConnections = options.MaxConnections,
            Relay = options.Relay,
            OneLinePerClient = true,
            Errors = options.Errors,
        };
        return new ProxyServer(RelayListener.Start(listen, relay, handshake.AcceptAsync));
    }

    /// <summary>Serves until <paramref name="stop"/> fires, then drains (bounded) and returns.</summary>
    public Task RunAsync(CancellationToken stop) => _listener.RunAsync(stop);

    /// <summary>Closes the listening socket.</summary>
    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private static string Describe(ProxyProtocols protocols)
    {
        var names = new List<string>();
        if (protocols.HasFlag(ProxyProtocols.Http)) names.Add("HTTP CONNECT");
        if (protocols.HasFlag(ProxyProtocols.Socks4)) names.Add("SOCKS4/4a");
        if (protocols.HasFlag(ProxyProtocols.Socks5)) names.Add("SOCKS5");
        return string.Join(", ", names);
    }
}
