using System.Runtime.CompilerServices;

namespace Sockit.Relay;

/// <summary>
/// The members a chunk is fanned out to, and the pacing that keeps their memory bounded: each member has its own
/// queue of shared chunks (<see cref="BroadcastMember"/>), the fan-out goes at the pace of the fastest member, and
/// one that falls more than <c>sendQueueLimit</c> bytes behind and does not come back under half of that within
/// <c>dropGrace</c> is dropped. Shared by keep-open's <see cref="BroadcastHub"/> (one source: stdin) and the broker
/// (every member is a source).
/// </summary>
/// <remarks>
/// <see cref="DeliverAsync"/> has one caller at a time (the one fan-out loop): its waits use the single-waiter
/// <see cref="Space"/> signal and one grace timer.
/// </remarks>
internal sealed class FanOut(long sendQueueLimit, TimeSpan dropGrace) : IDisposable
{
    private readonly Lock _gate = new();
    // Copy-on-write: the fan-out reads it without a lock and without a copy per chunk.
    private BroadcastMember[] _members = [];
    private Timer? _graceTimer;
    // When the grace now running ends (Environment.TickCount64). A deadline, not a flag the timer sets: a timer
    // callback already on its way when a grace ended early must not cut the next grace short.
    private long _graceEndsAt;

    /// <summary>Set by every member when it sends or closes, and by cancellation: the fan-out re-checks then.</summary>
    public WakeSignal Space { get; } = new();

    public long SendQueueLimit => sendQueueLimit;

    /// <summary>The members now (a snapshot; never modified in place).</summary>
    public BroadcastMember[] Members => Volatile.Read(ref _members);

    public int Count => Members.Length;

    public void Join(BroadcastMember member)
    {
        lock (_gate) _members = [.. _members, member];
        Space.Set();
    }

    public void Leave(BroadcastMember member)
    {
        lock (_gate) _members = Array.FindAll(_members, m => m != member);
        Space.Set();
    }

    /// <summary>
    /// Queues <paramref name="chunk"/> for every member but <paramref name="except"/>, once the fastest of them has
    /// room; members past the limit get the grace to catch up and are dropped if they do not.
    /// </summary>
    // Pooled: the waits below would otherwise allocate a state machine per chunk that has to wait.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask DeliverAsync(BroadcastChunk chunk, BroadcastMember? except, CancellationToken cancel)
    {
        int n = chunk.Cost;
        while (!FastestHasRoom(n, except))
        {
            await Space.WaitAsync().ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
        }
        if (MarkLaggards(n, except))
        {
            _graceTimer ??= new Timer(static s => ((FanOut)s!).Space.Set(), this, Timeout.Infinite, Timeout.Infinite);
            _graceEndsAt = Environment.TickCount64 + (long)dropGrace.TotalMilliseconds;
            _graceTimer.Change(dropGrace, Timeout.InfiniteTimeSpan);
            while (LaggardsCatchingUp())
            {
                await Space.WaitAsync().ConfigureAwait(false);
                cancel.ThrowIfCancellationRequested();
                // The timer's clock and TickCount64 may disagree by a tick: a wake just short of the end re-arms it.
                long left = _graceEndsAt - Environment.TickCount64;
                if (left > 0) _graceTimer.Change(left, Timeout.Infinite);
            }
            _graceTimer.Change(Timeout.Infinite, Timeout.Infinite);
            DropLaggards();
        }
        foreach (BroadcastMember member in Members)
            if (member != except) member.Enqueue(chunk);
    }

    // The fan-out goes at the pace of the fastest member: it waits until one has room below half the limit.
    // With no member left it does not wait.
    private bool FastestHasRoom(int n, BroadcastMember? except)
    {
        bool anyOpen = false;
        foreach (BroadcastMember member in Members)
        {
            if (member.Closed || member == except) continue;
            if (member.Queued == 0 || member.Queued + n <= sendQueueLimit / 2) return true;
            anyOpen = true;
        }
        return !anyOpen;
    }

    // Members the next chunk would push past the limit. Each gets the grace to come back under half the limit,
    // so a reader that was only late (a thread not scheduled for a moment) is not dropped; one that has stopped
    // reading, or reads far slower than the others, is.
    private bool MarkLaggards(int n, BroadcastMember? except)
    {
        bool any = false;
        foreach (BroadcastMember member in Members)
        {
            if (member.Closed || member == except || member.Queued == 0 || member.Queued + n <= sendQueueLimit) continue;
            member.Lagging = true;
            any = true;
        }
        return any;
    }

    private bool LaggardsCatchingUp()
    {
        if (Environment.TickCount64 >= _graceEndsAt) return false;
        foreach (BroadcastMember member in Members)
            if (member.Lagging && !member.Closed && member.Queued > sendQueueLimit / 2) return true;
        return false;
    }

    private void DropLaggards()
    {
        foreach (BroadcastMember member in Members)
        {
            if (member.Lagging && member.Queued > sendQueueLimit / 2) member.Drop();
            member.Lagging = false;
        }
    }

    public void Dispose() => _graceTimer?.Dispose();
}
