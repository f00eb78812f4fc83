using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Security;
using Sockit.Transports;

namespace Sockit.Protocols.Grumpy;

/// <summary>Settings for <see cref="GrumpyServer"/>; the defaults are the seed's behaviour.</summary>
public sealed record GrumpyServerOptions
{
    /// <summary>The seed's reply: <c>I'm a grumpy server, don't connect, I don't want no friends!</c></summary>
    public const string DefaultReply = GrumpyText.Reply;

    /// <summary>Where to listen: port 10001 on every address by default. Port 0 picks a free port.</summary>
    public EndpointSpec Endpoint { get; init; } = EndpointSpec.Ip(null, 10001);

    /// <summary>The reply sent to every client (a newline is added).</summary>
    public string Reply { get; init; } = DefaultReply;

    /// <summary>listen(2) backlog; 5 as in the seed.</summary>
    public int Backlog { get; init; } = 5;

    /// <summary>The longest message read from a client; a longer one is answered and logged as cut.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Deadline for a client's whole message, from its connection to its newline (or half-close): a client that has
    /// not finished by then is answered and dropped, however steadily it trickles bytes (the slowloris defence).
    /// Over datagrams: how long one answer may wait for room in the sender's queue.
    /// </summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Silence allowed between a client's bytes (and before its first) before it is answered and dropped, within
    /// <see cref="MessageTimeout"/>; <c>null</c> (the default) allows any silence up to the deadline.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Over datagrams: most datagrams answered at once; more are dropped, counted and logged once a second.</summary>
    public int MaxDatagramsInFlight { get; init; } = 256;

    /// <summary>How long in-flight exchanges may take to finish once shutdown starts.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Permission bits for a Unix socket file; <c>null</c> leaves the umask's.</summary>
    public UnixFileMode? UnixMode { get; init; }

    /// <summary>TLS on every connection when set (see <see cref="Hosting.HostOptions.Tls"/>); the message timer starts once the handshake is done.</summary>
    public TlsServerOptions? Tls { get; init; }

    /// <summary>
    /// Receives each whole log line (listening, received, said, ...). Must be thread-safe, and quick: on Linux one
    /// thread serves every plain-TCP connection, so a callback that blocks holds up every client.
    /// </summary>
    public Action<string>? Log { get; init; }

    /// <summary>Which clients are served (ncat's --allow/--deny); a refused one is logged and closed unanswered. <c>null</c>: everyone.</summary>
    public Access.AccessPolicy? Access { get; init; }

    /// <summary>
    /// Most stream clients handled at once; further clients wait in the listen backlog and are served as others
    /// finish (see <see cref="Transports.StreamServerOptions.MaxConnections"/>). <c>null</c>: as descriptors allow.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>Serve through <see cref="StreamServer"/>'s portable path even where the Linux event loop could (tests compare the two).</summary>
    internal bool Portable { get; init; }
}
