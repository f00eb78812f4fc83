using Sockit.Relay;

namespace Sockit.Protocols.Broker;

/// <summary>
/// What the participants hand the one fan-out loop, in order: their messages, and their joining and leaving (so
/// that every member sees one order of events). Each participant has at most one item in it at a time: it waits
/// for <see cref="Participant.Handled"/> before posting the next, which bounds the inbox by the member count.
/// </summary>
internal sealed class BrokerInbox
{
    internal enum Kind
    {
        Message,
        Join,
        Leave,
    }

    internal readonly record struct Item(Kind What, Participant From, BroadcastChunk? Chunk);

    private readonly Lock _gate = new();
    private readonly Queue<Item> _items = new();
    private bool _stopped;

    /// <summary>Wakes the loop when an item arrives (or at stop).</summary>
    public WakeSignal Arrived { get; } = new();

    /// <summary>Queues <paramref name="item"/>; false (nothing queued) once the loop has stopped.</summary>
    public bool Post(Item item)
    {
        lock (_gate)
        {
            if (_stopped) return false;
            _items.Enqueue(item);
        }
        Arrived.Set();
        return true;
    }

    public bool TryTake(out Item item)
    {
        lock (_gate) return _items.TryDequeue(out item);
    }

    /// <summary>No more items are accepted; those still queued are released and their posters woken.</summary>
    public void Stop()
    {
        Item[] left;
        lock (_gate)
        {
            _stopped = true;
            left = [.. _items];
            _items.Clear();
        }
        foreach (Item item in left)
        {
            item.Chunk?.Release();
            item.From.Handled.Set();
        }
    }
}
