using Sockit.Diagnostics;
using Sockit.Endpoints;

namespace Sockit.Relay;

/// <summary>
/// Makes the far end for one accepted client: a connection onward (<see cref="RelayListener.ConnectTo"/>), a child
/// process, later a TLS or proxied connection. Throwing closes that client and logs one line; others go on.
/// </summary>
/// <param name="client">The accepted client (its <see cref="DuplexEnd.Name"/> is its address).</param>
/// <param name="abort">Cancelled when the listener shuts down.</param>
public delegate ValueTask<DuplexEnd> FarEndFactory(DuplexEnd client, CancellationToken abort);

/// <summary>Settings for <see cref="RelayListener"/>.</summary>
public sealed record RelayListenerOptions
{
    /// <summary>Where clients are accepted (TCP, or a Unix path). Port 0 picks a free port.</summary>
    public required EndpointSpec Listen { get; init; }

    /// <summary>What the far end is, for log lines: <c>127.0.0.1:80</c>, <c>exec:cat</c>, ...</summary>
    public string FarName { get; init; } = "the far end";

    /// <summary>listen(2) backlog.</summary>
    public int Backlog { get; init; } = 4096;

    /// <summary>How long relays may run on after shutdown starts before they are aborted.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most clients relayed at once; one more is accepted and closed at once, with a log line.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Buffer size, idle timeout and the other settings of each client's relay.</summary>
    public RelayOptions Relay { get; init; } = new();

    /// <summary>Permission bits for a Unix socket file; <c>null</c> leaves the umask's.</summary>
    public UnixFileMode? UnixMode { get; init; }

    /// <summary>Receives what happens per client (connected, bytes each way, why it ended): <c>-v</c>. Must be thread-safe.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives failures (a far end that could not be made, a relay that failed), always worth printing. Must be thread-safe.</summary>
    public Action<string>? Errors { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }
}
