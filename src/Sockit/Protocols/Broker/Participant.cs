using Sockit.Relay;

namespace Sockit.Protocols.Broker;

/// <summary>
/// One source of a <see cref="BrokerHub"/>: a member connection (which also receives, through its
/// <see cref="BroadcastMember"/>), or the hub's own input (stdin under <c>sockit nc --broker</c>), which only speaks.
/// </summary>
internal sealed class Participant(DuplexEnd end, int number, BroadcastMember? member)
{
    private byte[]? _prefix;
    private long _moved = -1;
    private long _movedAt = Environment.TickCount64;

    public DuplexEnd End => end;

    /// <summary>ncat's <c>&lt;userN&gt;</c>: the lowest number free when it joined (ncat's file descriptor).</summary>
    public int Number => number;

    public string Name => end.Name;

    public string Host => end.PeerHost;

    /// <summary>Its queue and sender; <c>null</c> for an input that only speaks.</summary>
    public BroadcastMember? Member => member;

    /// <summary>Set by the fan-out loop when what this participant posted has been handled.</summary>
    public WakeSignal Handled { get; } = new();

    /// <summary>Bytes read from it.</summary>
    public long Received;

    /// <summary>Chat framing: the next byte it says starts a line (gets the prefix). Only its reader touches it.</summary>
    public bool AtLineStart = true;

    /// <summary>Closed for moving no byte either way for the idle timeout.</summary>
    public bool IdleExpired { get; private set; }

    /// <summary>The prefix of its lines under <paramref name="chat"/>, made once.</summary>
    public byte[] Prefix(ChatFormat chat) => _prefix ??= chat.Prefix(this);

    /// <summary>The idle sweep: closes it when no byte moved either way since <paramref name="idleMs"/> ago.</summary>
    public void CheckIdle(long now, long idleMs)
    {
        long moved = Volatile.Read(ref Received) + (member?.Sent ?? 0);
        if (moved != _moved)
        {
            _moved = moved;
            _movedAt = now;
            return;
        }
        if (now - _movedAt < idleMs || member is null) return;
        IdleExpired = true;
        member.Close();
    }
}
