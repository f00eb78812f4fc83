using Sockit.Addresses;
using Sockit.Diagnostics;

namespace Sockit.Cli.Relay;

/// <summary>What <c>sockit relay</c> was asked to do, parsed and checked: two addresses and how to relay them.</summary>
internal sealed record RelaySettings
{
    /// <summary>The copy buffer per direction when <c>--buffer</c> is not given (see docs/benchmarks.md).</summary>
    public const string DefaultBuffer = "512KiB";

    public required AddressSpec First { get; init; }
    public required AddressSpec Second { get; init; }
    public TimeSpan? ConnectTimeout { get; init; }
    public TimeSpan? IdleTimeout { get; init; }
    public bool Verbose { get; init; }
    public int MaxConnections { get; init; } = 1000;
    public int BufferSize { get; init; } = 512 * 1024;
    public SocketTrace? Trace { get; init; }
    /// <summary>--allow/--deny: which clients are relayed; null relays everyone.</summary>
    public Sockit.Access.AccessPolicy? Access { get; init; }
}
