using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Cli.Relay;

/// <summary>Everything <c>sockit cat</c> / <c>sockit nc</c> was asked to do, parsed and checked.</summary>
internal sealed record CatSettings
{
    public required EndpointSpec Endpoint { get; init; }
    public bool Listen { get; init; }
    public bool KeepOpen { get; init; }
    public bool Udp { get; init; }
    public EndpointSpec? Source { get; init; }
    public TimeSpan? ConnectTimeout { get; init; }
    public TimeSpan? IdleTimeout { get; init; }
    public TimeSpan? QuitAfterEof { get; init; }
    public bool Verbose { get; init; }
    public bool SendOnly { get; init; }
    public bool RecvOnly { get; init; }
    public bool Crlf { get; init; }
    public bool NoShutdown { get; init; }
    public int MaxConnections { get; init; } = 100;
    public int BufferSize { get; init; } = Sockit.Relay.RelayOptions.DefaultBufferSize;
    public SocketTrace? Trace { get; init; }
    public string? SessionLog { get; init; }
}
