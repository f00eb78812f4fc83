using System.Buffers;

namespace Sockit.Transports.Linux;

/// <summary>
/// One connection's state on an <see cref="EventLoop"/>: the part every protocol has (its descriptor, what epoll
/// watches for it, a buffer rented only while it needs one, its name in the log). A protocol derives its own
/// state from it; the loop pools them, so a connection allocates nothing of its own.
/// </summary>
internal abstract class LoopConnection
{
    public int Fd = -1;
    /// <summary>The epoll events registered for it; 0 until it first has to wait.</summary>
    public uint Watching;
    /// <summary>Rented from the shared pool only while the protocol has bytes to keep; null otherwise.</summary>
    public byte[]? Buffer;
    /// <summary>The peer as the logs name it; only set when the server logs.</summary>
    public string Name = "";
    public string PeerHost = "";

    public byte[] RentBuffer(int size) => Buffer ??= ArrayPool<byte>.Shared.Rent(size);

    public void ReturnBuffer()
    {
        if (Buffer is null) return;
        ArrayPool<byte>.Shared.Return(Buffer);
        Buffer = null;
    }

    /// <summary>Back to a fresh state for the next connection: a protocol's override clears its own part (and leaves its timer lists), then calls this.</summary>
    public virtual void Clear()
    {
        Fd = -1;
        Watching = 0;
        ReturnBuffer();
        Name = PeerHost = "";
    }
}

/// <summary>A connection's entry in a <see cref="DueList"/>.</summary>
internal sealed class DueLink(LoopConnection owner)
{
    public LoopConnection Owner { get; } = owner;
    public DueLink? Previous;
    public DueLink? Next;
    public DueList? List;
    public long Due;
}

/// <summary>
/// Connections ordered by when their timer is due. Every entry of one list waits the same span from the moment
/// it is appended, so appending keeps the list sorted: the first entry is always the next due, and arming,
/// re-arming (remove, append) and expiring are O(1) with no timer object per connection. The loop waits for the
/// heads of its protocol's lists and hands each entry that comes due to <paramref name="due"/>, which must take
/// it off the list (re-arm, or finish the connection).
/// </summary>
internal sealed class DueList(Action<LoopConnection> due)
{
    private DueLink? _first;
    private DueLink? _last;

    public DueLink? First => _first;

    /// <summary>Runs the callbacks of every entry due by <paramref name="now"/>.</summary>
    public void Expire(long now)
    {
        while (_first is { } link && link.Due <= now)
        {
            due(link.Owner);
            if (_first == link) Remove(link); // a callback that left it would otherwise come back for ever
        }
    }

    public void Append(DueLink link, long due)
    {
        Remove(link);
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
