using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>
/// Looks a host name up: every address of <paramref name="family"/> (<see cref="AddressFamily.Unspecified"/> for
/// both), in the resolver's order. The default is getaddrinfo; tests and callers with their own naming supply one.
/// </summary>
public delegate Task<IPAddress[]> HostResolver(string host, AddressFamily family, CancellationToken cancel);

/// <summary>
/// How <see cref="StreamConnector"/> connects. The IP family is a setting of the target
/// (<see cref="EndpointSpec.Family"/>), so <c>-4</c>/<c>-6</c> need nothing here.
/// </summary>
public sealed record ConnectOptions
{
    /// <summary>RFC 8305's recommended Connection Attempt Delay: how long one attempt runs alone before the next starts.</summary>
    public static readonly TimeSpan DefaultAttemptDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Limit for resolving and connecting together; <c>null</c> leaves it to the kernel (about two minutes for TCP).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The local address and/or port to bind before connecting (nc's <c>-s ADDR</c> / <c>-p PORT</c>); a <c>null</c>
    /// host binds the wildcard of the target's family. With an address, only targets of its family are tried.
    /// </summary>
    public EndpointSpec? LocalEndPoint { get; init; }

    /// <summary>Receives every socket call made (getaddrinfo, socket, bind, connect, ...), when set.</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>
    /// Happy Eyeballs (RFC 8305): with several addresses, the next attempt starts when the previous one has not
    /// succeeded within this delay (or at once when it failed); the first to connect wins and the others are closed.
    /// </summary>
    public TimeSpan AttemptDelay { get; init; } = DefaultAttemptDelay;

    /// <summary>Replaces getaddrinfo for host names (IP literals and Unix paths are never looked up).</summary>
    public HostResolver? Resolver { get; init; }
}
