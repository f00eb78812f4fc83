using Sockit.Relay;

namespace Sockit.Protocols.Broker;

/// <summary>Settings for a <see cref="BrokerHub"/>.</summary>
public sealed record BrokerOptions
{
    /// <summary>Default bound on the memory queued for one member: 1 MiB.</summary>
    public const long DefaultSendQueueLimit = 1024 * 1024;

    /// <summary>
    /// Most memory queued for one member (chunks charged by their size in memory). A member the next message would
    /// push past it has <see cref="DropGrace"/> to come back under half of it, else it is dropped
    /// (<see cref="RelayEndReason.FellBehind"/>); meanwhile the others wait, so nobody else loses a byte.
    /// </summary>
    public long SendQueueLimit { get; init; } = DefaultSendQueueLimit;

    /// <summary>How long a member past <see cref="SendQueueLimit"/> has to catch up: 1 s.</summary>
    public TimeSpan DropGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most bytes read from a member at once, and the largest chunk queued (at least 1 KiB).</summary>
    public int BufferSize { get; init; } = 16 * 1024;

    /// <summary><c>null</c> relays bytes as they are (ncat's <c>--broker</c>); a format frames lines and announces members (<c>--chat</c>).</summary>
    public ChatFormat? Chat { get; init; }

    /// <summary>The number the first member gets in <see cref="ChatFormat.Ncat"/>'s <c>&lt;userN&gt;</c>; each later one gets the lowest free number from there, as file descriptors are given out.</summary>
    public int FirstNumber { get; init; } = 1;

    /// <summary>Close a member that moves no byte either way for this long; <c>null</c> waits for ever. The hub itself never times out.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>How long a member that ended its input may take to receive what was already queued for it: 5 s.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
