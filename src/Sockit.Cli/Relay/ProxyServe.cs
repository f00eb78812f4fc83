using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Proxies;
using Sockit.Relay;

namespace Sockit.Cli.Relay;

/// <summary><c>sockit nc -l --proxy-type http</c>: ncat's HTTP proxy listener, with these credentials if any.</summary>
internal sealed record ProxyListen(ProxyCredentials? Credentials);

/// <summary>What <c>sockit proxy</c> was asked to do, parsed and checked.</summary>
internal sealed record ProxyServeSettings
{
    public required EndpointSpec Listen { get; init; }
    public required ProxyServerOptions Options { get; init; }
    public bool Verbose { get; init; }
    public SocketTrace? Trace { get; init; }
}

/// <summary><c>sockit proxy</c> and <c>sockit nc -l --proxy-type http</c>: the library's <see cref="ProxyServer"/>, its lines on stderr.</summary>
internal static class ProxyServe
{
    public static Task<int> RunAsync(ProxyServeSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        return HostRun.ServeAsync(
            () => ProxyServer.Start(HostRun.Options(s.Listen, log, s.Trace), s.Options with { Errors = RelayLog.Error }),
            (server, stop) => server.RunAsync(stop), cancel);
    }

    /// <summary>ncat's <c>-l --proxy-type http [--proxy-auth USER:PASS]</c>: HTTP CONNECT only, many clients, nc's listen address.</summary>
    public static Task<int> RunNcAsync(CatSettings s, CancellationToken cancel) => RunAsync(new ProxyServeSettings
    {
        Listen = s.Endpoint,
        Verbose = s.Verbose,
        Trace = s.Trace,
        Options = new ProxyServerOptions
        {
            Protocols = ProxyProtocols.Http,
            Credentials = s.ProxyServer!.Credentials,
            MaxConnections = s.MaxConnections,
            Relay = new RelayOptions { BufferSize = s.BufferSize, IdleTimeout = s.IdleTimeout },
        },
    }, cancel);
}
