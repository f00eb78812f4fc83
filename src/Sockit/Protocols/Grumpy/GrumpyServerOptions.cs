using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Protocols.Grumpy;

/// <summary>Settings for <see cref="GrumpyServer"/>; the defaults are the seed's behaviour.</summary>
public sealed record GrumpyServerOptions
{
    /// <summary>Where to listen: port 10001 on every address by default. Port 0 picks a free port.</summary>
    public EndpointSpec Endpoint { get; init; } = EndpointSpec.Ip(null, 10001);

    /// <summary>The reply sent to every client (a newline is added).</summary>
    public string Reply { get; init; } = GrumpyText.Reply;

    /// <summary>listen(2) backlog; 5 as in the seed.</summary>
    public int Backlog { get; init; } = 5;

    /// <summary>The longest message read from a client; a longer one is answered and logged as cut.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>How long a client may stay silent before it is answered and dropped.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long in-flight exchanges may take to finish once shutdown starts.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Permission bits for a Unix socket file; <c>null</c> leaves the umask's.</summary>
    public UnixFileMode? UnixMode { get; init; }

    /// <summary>Receives each whole log line (listening, received, said, ...). Must be thread-safe.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }
}
