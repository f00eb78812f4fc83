using System.Collections.Concurrent;

namespace Sockit.Transports;

/// <summary>
/// The work a server has started and not yet seen finish (one task per connection or per datagram), and the
/// shutdown rule shared by every server: wait for it up to a grace period, then cancel <see cref="Abort"/> and
/// wait for the rest. Every task is observed; none is fire-and-forget.
/// </summary>
internal sealed class InFlightTasks : IDisposable
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly CancellationTokenSource _abort = new();
    private long _nextId;

    /// <summary>Cancelled when the grace period has passed at shutdown; handlers should give up then.</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>True once <see cref="Abort"/> has fired.</summary>
    public bool Aborted => _abort.IsCancellationRequested;

    /// <summary>Tasks running right now.</summary>
    public int Count => _running.Count;

    /// <summary>Runs <paramref name="work"/> on the thread pool, so a handler that completes synchronously or
    /// blocks cannot stall the loop that started it. <paramref name="work"/> must not throw.</summary>
    public void Start(Func<Task> work)
    {
        long id = Claim();
        Track(id, RunAsync(id, work));
    }

    private async Task RunAsync(long id, Func<Task> work)
    {
        try
        {
            await Task.Yield(); // onto the thread pool, as Task.Run did, with fewer allocations than Task.Run + ContinueWith
            await work().ConfigureAwait(false);
        }
        finally
        {
            Finish(id);
        }
    }

    /// <summary>
    /// For a caller that folds the tracking into its own async method (one state machine per task rather than
    /// two): claim an id, start the work, pass its task to <see cref="Track"/>; the work calls
    /// <see cref="Finish"/> last, in a finally, and must not throw otherwise.
    /// </summary>
    public long Claim()
    {
        long id = Interlocked.Increment(ref _nextId);
        // Claimed before the work starts, so its own removal can never come before this insertion.
        _running[id] = Task.CompletedTask;
        return id;
    }

    /// <summary>Records the task of the work started under <paramref name="id"/> (unless it has already finished).</summary>
    public void Track(long id, Task task) => _running.TryUpdate(id, task, Task.CompletedTask);

    /// <summary>Called by the work under <paramref name="id"/> as its very last step.</summary>
    public void Finish(long id) => _running.TryRemove(id, out _);

    /// <summary>
    /// Waits up to <paramref name="grace"/> for every task, then aborts and waits for the rest. A task that
    /// faulted anyway (a throwing error callback, say) is observed here and does not end the drain early.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        Task all = Task.WhenAll(_running.Values);
        await all.WaitAsync(grace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!all.IsCompleted) await _abort.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Aborts whatever still runs. The token source is cancelled, not disposed: handlers still running hold its
    /// token (and read <see cref="Abort"/>), which would throw ObjectDisposedException on a disposed source. A
    /// source with no timer and no wait handle owns nothing that disposing would free.
    /// </summary>
    public void Dispose() => _abort.Cancel();
}
