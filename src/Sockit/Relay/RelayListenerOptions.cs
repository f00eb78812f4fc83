namespace Sockit.Relay;

/// <summary>
/// Makes the far end for one accepted client: a connection onward (<see cref="RelayListener.ConnectTo"/>), a child
/// process, later a TLS or proxied connection. Throwing closes that client and logs one line; others go on.
/// </summary>
/// <param name="client">The accepted client (its <see cref="DuplexEnd.Name"/> is its address).</param>
/// <param name="abort">Cancelled when the listener shuts down.</param>
public delegate ValueTask<DuplexEnd> FarEndFactory(DuplexEnd client, CancellationToken abort);

/// <summary>Settings for <see cref="RelayListener"/> beyond where it listens (<see cref="Hosting.HostOptions"/>, whose <c>Log</c> receives what happens per client: <c>-v</c>).</summary>
public sealed record RelayListenerOptions
{
    /// <summary>What the far end is, for log lines: <c>127.0.0.1:80</c>, <c>exec:cat</c>, ...</summary>
    public string FarName { get; init; } = "the far end";

    /// <summary>Most clients relayed at once; one more is accepted and closed at once, with a log line.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Buffer size, idle timeout and the other settings of each client's relay.</summary>
    public RelayOptions Relay { get; init; } = new();

    /// <summary>
    /// Log one line per client, when its relay ends (or when it is refused), instead of a line at connect, one when
    /// the far end is made and one at the end: for hosts with many short connections, such as a proxy.
    /// </summary>
    public bool OneLinePerClient { get; init; }

    /// <summary>Receives failures (a far end that could not be made, a relay that failed), always worth printing. Must be thread-safe.</summary>
    public Action<string>? Errors { get; init; }
}
