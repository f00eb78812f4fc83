namespace Sockit.Protocols.Grumpy;

/// <summary>Where one connection of <see cref="GrumpyEventLoop"/> is in its exchange.</summary>
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
/// One connection's state in <see cref="GrumpyEventLoop"/>: reused from connection to connection (pooled by the
/// loop), with its place in the loop's timer lists built in, so a connection allocates nothing of its own.
/// </summary>
internal sealed class GrumpyConnection
{
    public GrumpyConnection()
    {
        Deadline = new DueLink(this);
        Idle = new DueLink(this);
    }

    public int Fd = -1;
    public GrumpyStage Stage;
    /// <summary>Rented only when a message arrives in more than one read; null otherwise.</summary>
    public byte[]? Buffer;
    public int Filled;
    public MessageRead Read;
    public long Unread;
    public int Sent;
    /// <summary>The epoll events registered for it; 0 until it first has to wait.</summary>
    public uint Watching;
    /// <summary>The peer as the logs name it; only set when the server logs.</summary>
    public string Name = "";
    public string PeerHost = "";

    /// <summary>Its place in the message-deadline list while reading, then in the linger list.</summary>
    public DueLink Deadline { get; }

    /// <summary>Its place in the idle list while reading, when an idle limit is set.</summary>
    public DueLink Idle { get; }

    public void Clear()
    {
        Fd = -1;
        Stage = GrumpyStage.Reading;
        Buffer = null;
        Filled = 0;
        Read = default;
        Unread = 0;
        Sent = 0;
        Watching = 0;
        Name = PeerHost = "";
    }
}

/// <summary>A connection's entry in a <see cref="DueList"/>.</summary>
internal sealed class DueLink(GrumpyConnection owner)
{
    public GrumpyConnection Owner { get; } = owner;
    public DueLink? Previous;
    public DueLink? Next;
    public DueList? List;
    public long Due;
}

/// <summary>
/// Connections ordered by when their timer is due. Every entry of one list waits the same span from the moment
/// it is appended, so appending keeps the list sorted: the first entry is always the next due, and arming,
/// re-arming (remove, append) and expiring are O(1) with no timer object per connection.
/// </summary>
internal sealed class DueList
{
    private DueLink? _first;
    private DueLink? _last;

    public DueLink? First => _first;

    public void Append(DueLink link, long due)
    {
        link.Due = due;
        link.List = this;
        link.Previous = _last;
        link.Next = null;
        if (_last is null) _first = link;
        else _last.Next = link;
        _last = link;
    }

    public static void Remove(DueLink link)
    {
        if (link.List is not { } list) return;
        if (link.Previous is null) list._first = link.Next;
        else link.Previous.Next = link.Next;
        if (link.Next is null) list._last = link.Previous;
        else link.Next.Previous = link.Previous;
        link.Previous = link.Next = null;
        link.List = null;
    }
}
