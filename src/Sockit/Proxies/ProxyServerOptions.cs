using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Proxies;

/// <summary>The protocols a <see cref="ProxyServer"/> answers on its one port.</summary>
[Flags]
public enum ProxyProtocols
{
    /// <summary>HTTP CONNECT (a first byte that is neither 4 nor 5).</summary>
    Http = 1,
    /// <summary>SOCKS4 and SOCKS4a (first byte 4).</summary>
    Socks4 = 2,
    /// <summary>SOCKS5 (first byte 5).</summary>
    Socks5 = 4,
    /// <summary>All three.</summary>
    All = Http | Socks4 | Socks5,
}

/// <summary>Settings for <see cref="ProxyServer"/> beyond where it listens (<see cref="Hosting.HostOptions"/>, whose <c>Log</c> gets one line per client).</summary>
public sealed record ProxyServerOptions
{
    /// <summary>Which protocols are answered; a client speaking another is closed with a line.</summary>
    public ProxyProtocols Protocols { get; init; } = ProxyProtocols.All;

    /// <summary>
    /// When set, every client must present these: HTTP Basic (407 otherwise), SOCKS5 username/password (RFC 1929),
    /// and for SOCKS4, which has no password, the user id <c>USER:PASS</c> (what ncat sends for <c>--proxy-auth USER:PASS</c>).
    /// </summary>
    public ProxyCredentials? Credentials { get; init; }

    /// <summary>Where clients may connect; <c>null</c> allows every destination.</summary>
    public DestinationAllowList? AllowedDestinations { get; init; }

    /// <summary>Most clients at once, in handshake or relaying; one more is accepted and closed with a log line.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>A client must finish its request within this (so a silent client cannot hold a slot).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit for resolving and connecting to a destination.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Buffer size and idle timeout of each client's relay after the handshake.</summary>
    public RelayOptions Relay { get; init; } = new();

    /// <summary>Receives failures that are not a client's refusal (a relay that failed), always worth printing. Must be thread-safe.</summary>
    public Action<string>? Errors { get; init; }

    /// <summary>Replaces getaddrinfo for destination names (tests).</summary>
    public HostResolver? Resolver { get; init; }
}
