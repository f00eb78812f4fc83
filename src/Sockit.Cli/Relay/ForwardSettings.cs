using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Cli.Relay;

/// <summary>What <c>sockit relay</c> was asked to do, parsed and checked.</summary>
internal sealed record ForwardSettings
{
    /// <summary>The copy buffer per direction when <c>--buffer</c> is not given (see docs/benchmarks.md).</summary>
    public const string DefaultBuffer = "512KiB";

    public required EndpointSpec Listen { get; init; }
    public required EndpointSpec Target { get; init; }
    public TimeSpan? ConnectTimeout { get; init; }
    public TimeSpan? IdleTimeout { get; init; }
    public bool Verbose { get; init; }
    public int MaxConnections { get; init; } = 1000;
    public int BufferSize { get; init; } = 512 * 1024;
    public SocketTrace? Trace { get; init; }
    /// <summary>--allow/--deny: which clients are relayed; null relays everyone.</summary>
    public Sockit.Access.AccessPolicy? Access { get; init; }
}
