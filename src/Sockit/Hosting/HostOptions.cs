using System.Net;
using Sockit.Access;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Security;
using Sockit.Transports;

namespace Sockit.Hosting;

/// <summary>
/// Where and how a <see cref="StreamHost"/> listens: the settings every protocol shares, so a protocol's own
/// settings say only what it speaks.
/// </summary>
public sealed record HostOptions
{
    /// <summary>Where to listen. Port 0 picks a free port; a Unix path listens there.</summary>
    public required EndpointSpec Endpoint { get; init; }

    /// <summary>listen(2) backlog; the seed uses 5.</summary>
    public int Backlog { get; init; } = 5;

    /// <summary>How long in-flight connections may take to finish once shutdown starts.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Permission bits for a Unix socket file; <c>null</c> leaves the umask's.</summary>
    public UnixFileMode? UnixMode { get; init; }

    /// <summary>Most connections handled at once (see <see cref="StreamServerOptions.MaxConnections"/>).</summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// TLS on every accepted connection, when set: the handshake (with its timeout) runs before the handler,
    /// which then sees the <see cref="TlsEnd"/>; a failed handshake is the host's one error line for that client.
    /// </summary>
    public TlsServerOptions? Tls { get; init; }

    /// <summary>Receives the host's lines (listening, a failed connection, stopped). Must be thread-safe.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>Which clients are served (see <see cref="StreamServerOptions.Access"/>); <c>null</c> serves everyone.</summary>
    public AccessPolicy? Access { get; init; }

    /// <summary>
    /// Told of every refused client. When <c>null</c>, <see cref="Log"/> receives
    /// <c>Connection from ADDR refused: denied by --deny ...</c>.
    /// </summary>
    public Action<EndPoint, AccessDecision>? OnRefused { get; init; }

    /// <summary>
    /// On Linux's event loop (plain TCP: see <see cref="StreamHost.RunAsync"/>), how long the loop keeps polling for
    /// the next event without sleeping after a turn that did work: a client that answers within it is served without
    /// a sleep and wake-up in between (lower round-trip latency), at the CPU those polls take. <c>null</c> takes the
    /// protocol's default (echo: 50 us; grumpy: none) or, when set, the environment variable
    /// <c>SOCKIT_BUSY_POLL_US</c> (whole microseconds); <see cref="TimeSpan.Zero"/> never spins. The spin is adaptive:
    /// once a spin finds nothing it stops spinning until clients answer within the budget again, so an idle server
    /// costs nothing. Keep it to tens or hundreds of microseconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan? BusyPoll
    {
        get;
        init
        {
            if (value < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), value, "BusyPoll cannot be negative");
            field = value;
        }
    }

    /// <summary>
    /// Serve through <see cref="StreamServer"/>'s portable path even where the Linux event loop could (tests compare
    /// the two; the CLI's switch is <c>SOCKIT_PORTABLE=1</c>).
    /// </summary>
    internal bool Portable { get; init; }
}
