using Sockit.Transports.Linux;

namespace Sockit.Protocols.Grumpy;

/// <summary>Where one connection of <see cref="GrumpyLoopProtocol"/> is in its exchange.</summary>
internal enum GrumpyStage
{
    /// <summary>Reading the message (under the message deadline and, when set, the idle limit).</summary>
    Reading,
    /// <summary>The reply did not fit the send buffer at once: waiting for room.</summary>
    Sending,
    /// <summary>Answered and half-closed: reading and discarding until the client closes (at most the linger limit).</summary>
    Lingering,
}

/// <summary>
/// One grumpy connection's state on the event loop, with its places in the protocol's timer lists built in. Its
/// <see cref="LoopConnection.Buffer"/> is rented only when a message arrives in more than one read.
/// </summary>
internal sealed class GrumpyConnection : LoopConnection
{
    public GrumpyConnection()
    {
        Deadline = new DueLink(this);
        Idle = new DueLink(this);
    }

    public GrumpyStage Stage;
    public int Filled;
    public MessageRead Read;
    public long Unread;
    public int Sent;

    /// <summary>Its place in the message-deadline list while reading, then in the linger list.</summary>
    public DueLink Deadline { get; }

    /// <summary>Its place in the idle list while reading, when an idle limit is set.</summary>
    public DueLink Idle { get; }

    public override void Clear()
    {
        DueList.Remove(Deadline);
        DueList.Remove(Idle);
        Stage = GrumpyStage.Reading;
        Filled = 0;
        Read = default;
        Unread = 0;
        Sent = 0;
        base.Clear();
    }
}
