using Sockit.Cli.Tls;
using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Cli.Relay;

/// <summary>Everything <c>sockit cat</c> / <c>sockit nc</c> was asked to do, parsed and checked.</summary>
internal sealed record CatSettings
{
    public required EndpointSpec Endpoint { get; init; }
    /// <summary>No port was given and ncat's default (31337) is used; said with -v.</summary>
    public bool PortDefaulted { get; init; }
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
    /// <summary>-k: most broadcast bytes waiting for one client before it is dropped (--send-queue).</summary>
    public long SendQueueLimit { get; init; } = Sockit.Relay.BroadcastHub.DefaultSendQueueLimit;
    public SocketTrace? Trace { get; init; }
    public string? SessionLog { get; init; }
    /// <summary>-x FILE: hex dump of the session ("-" = stderr).</summary>
    public string? HexDump { get; init; }
    /// <summary>--sha256: print the digest of the bytes sent and received at the end.</summary>
    public bool Sha256 { get; init; }
    /// <summary>--expect-sha256 HEX: fail (exit 1, one line) when what was received hashes differently.</summary>
    public string? ExpectSha256 { get; init; }
    /// <summary>Progress meter on a terminal's stderr when sending or receiving a regular file (off with --no-progress).</summary>
    public bool Progress { get; init; } = true;
    /// <summary>-e PROG / -c CMD: the program each connection is relayed to, instead of stdin/stdout; null otherwise.</summary>
    public ExecProgram? Exec { get; init; }
    /// <summary>nc -z: the ports to probe, in order (no relay at all); null otherwise.</summary>
    public IReadOnlyList<int>? ScanPorts { get; init; }
    /// <summary>--broker / --chat: clients relayed to each other (ncat's connection brokering); null otherwise.</summary>
    public BrokerMode? Broker { get; init; }
    /// <summary>--ssl and friends: TLS on the connection; null for plain.</summary>
    public TlsSettings? Tls { get; init; }
    /// <summary>--proxy (or nc's -X/-x): connect through this proxy; null connects directly.</summary>
    public Sockit.Proxies.ProxyClientOptions? Proxy { get; init; }
    /// <summary>-l --proxy-type http: be an HTTP CONNECT proxy (ncat's proxy server); null otherwise.</summary>
    public ProxyListen? ProxyServer { get; init; }
    /// <summary>--allow/--deny/--allowfile/--denyfile as given (inline entries checked); null when none was.</summary>
    public Sockit.Access.AccessPolicyBuilder? AccessLists { get; init; }
    /// <summary>The policy built from <see cref="AccessLists"/> when the command runs (files read, names resolved once).</summary>
    public Sockit.Access.AccessPolicy? Access { get; init; }
}
