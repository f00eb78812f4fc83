using Sockit.Diagnostics;
using Sockit.Relay;

namespace Sockit.Addresses;

/// <summary>
/// How <see cref="AddressRelay"/> opens its addresses and relays them (and how <see cref="AddressOpener"/> opens
/// one): timeouts, caps, logging. What the addresses themselves say (fork, max-conns, bind, ...) is in their
/// <see cref="AddressSpec.Options"/>.
/// </summary>
public sealed record AddressRelayOptions
{
    /// <summary>Default <see cref="DatagramIdleTimeout"/>: a minute.</summary>
    public static readonly TimeSpan DefaultDatagramIdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Default <see cref="DatagramLinger"/>: half a second, socat's <c>-t</c>.</summary>
    public static readonly TimeSpan DefaultDatagramLinger = TimeSpan.FromMilliseconds(500);

    /// <summary>Buffer size, idle timeout and the other settings of each connection's relay.</summary>
    public RelayOptions Relay { get; init; } = new();

    /// <summary>Limit for resolving and connecting a <c>tcp:</c>/<c>unix:</c>/<c>udp:</c> address; <c>null</c> leaves it to the kernel.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>
    /// A forking listener without <c>max-conns=</c>: most clients relayed at once; one more is accepted and closed
    /// at once, with a log line. (<c>max-conns=N</c> instead lets further clients wait in the listen backlog, as socat's
    /// <c>max-children</c>.) For <c>udp-listen</c>, the most peers with a session at once.
    /// </summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>listen(2) backlog of a stream listener.</summary>
    public int Backlog { get; init; } = 128;

    /// <summary>How long relays in flight may run on after the caller's stop, before they are aborted (forking listeners).</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>udp-listen</c>: a peer's session ends when nothing has moved either way for this long (unless <see cref="RelayOptions.IdleTimeout"/> is set).</summary>
    public TimeSpan DatagramIdleTimeout { get; init; } = DefaultDatagramIdleTimeout;

    /// <summary>
    /// Datagrams have no EOF: once the other side's input has ended, a <c>udp:</c> end (or a <c>udp-listen</c> session whose
    /// far end closed) waits this long after the last datagram, then ends.
    /// </summary>
    public TimeSpan DatagramLinger { get; init; } = DefaultDatagramLinger;

    /// <summary>How <c>exec:</c> and <c>sh:</c> programs are started and stopped (their environment is added to ncat's <c>NCAT_*</c> variables).</summary>
    public ExecOptions Exec { get; init; } = new();

    /// <summary>Opens <c>stdio</c>; <c>null</c> uses the process's standard input and output streams.</summary>
    public Func<DuplexEnd>? OpenStdio { get; init; }

    /// <summary>Receives what happens (<c>-v</c>): listening, each connection, bytes each way and why it ended. Must be thread-safe.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Receives the lines the user must see whatever the verbosity: a <c>tls-listen</c> throwaway certificate's pin,
    /// the warning of a <c>tls:</c> address with <c>verify=0</c>. Must be thread-safe.
    /// </summary>
    public Action<string>? Notices { get; init; }

    /// <summary>Receives failures that do not end the relay (a forking listener's far end that could not be opened). Must be thread-safe.</summary>
    public Action<string>? Errors { get; init; }

    /// <summary>Receives every socket call made, when set.</summary>
    public SocketTrace? Trace { get; init; }

    /// <summary>Which clients a listening first address serves (see <see cref="Sockit.Access.AccessPolicy"/>): a refused stream client is closed before any byte is read, a refused peer's datagrams are dropped. <c>null</c> serves everyone.</summary>
    public Sockit.Access.AccessPolicy? Access { get; init; }

    /// <summary>Told of every client or datagram <see cref="Access"/> refused; <c>null</c> logs it to <see cref="Log"/>. Must be thread-safe.</summary>
    public Action<System.Net.EndPoint, Sockit.Access.AccessDecision>? OnRefused { get; init; }
}
