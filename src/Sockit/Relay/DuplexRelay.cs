using Sockit.Relay.Splice;

namespace Sockit.Relay;

/// <summary>
/// Copies A to B and B to A at the same time until BOTH directions end. When one source reaches EOF the
/// matching sink is half-closed (shutdown(SHUT_WR), or stdout closed) and the other direction keeps going,
/// so no byte is lost on a half-close. A failure in either direction (reset, read or write error) ends
/// both. Every task started here is awaited before <see cref="RunAsync"/> returns.
/// </summary>
public static class DuplexRelay
{
    /// <summary>Runs the relay; never throws for stream failures, it reports them in the result.</summary>
    public static async Task<RelayResult> RunAsync(DuplexEnd a, DuplexEnd b, RelayOptions options, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BufferSize < 2) throw new ArgumentOutOfRangeException(nameof(options), "BufferSize must be at least 2 bytes");

        SpliceRoute? spliceAToB = null, spliceBToA = null;
        if (OperatingSystem.IsLinux())
        {
            spliceAToB = options.CopyAToB ? SpliceRoute.For(a, b, options.BufferSize) : null;
            spliceBToA = options.CopyBToA ? SpliceRoute.For(b, a, options.BufferSize) : null;
        }
        // A spliced socket must be non-blocking; splicing beats blocking recv/send anyway (docs/benchmarks.md).
        bool dedicatedThreads = options.DedicatedThreads && spliceAToB is null && spliceBToA is null;
        if (dedicatedThreads)
        {
            a.UseBlockingCalls();
            b.UseBlockingCalls();
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var clock = new ActivityClock();
        var aToB = new DirectionPump(a, b, options.BufferSize, clock, spliceAToB);
        var bToA = new DirectionPump(b, a, options.BufferSize, clock, spliceBToA);
        int stoppedFor = -1; // a RelayEndReason once set

        Task<DirectionOutcome> forward = options.CopyAToB
            ? Start(aToB, () => options.OnEof?.Invoke("A"), dedicatedThreads, stop.Token)
            : Task.FromResult(new DirectionOutcome(0, RelayEndReason.BothEof));
        Task<DirectionOutcome> backward = options.CopyBToA
            ? Start(bToA, () => options.OnEof?.Invoke("B"), dedicatedThreads, stop.Token)
            : NeverUntil(stop.Token);
        Task idle = options.IdleTimeout is { } limit
            ? WatchIdleAsync(clock, limit, () => StopFor(RelayEndReason.IdleTimeout), stop.Token)
            : Task.CompletedTask;
        Task quit = Task.CompletedTask;

        void StopFor(RelayEndReason reason)
        {
            Interlocked.CompareExchange(ref stoppedFor, (int)reason, -1);
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        try
        {
            Task<DirectionOutcome> done = await Task.WhenAny(forward, backward).ConfigureAwait(false);
            DirectionOutcome first = await done.ConfigureAwait(false);
            if (!first.ReachedEof)
                StopFor(first.Reason);
            else if ((done == forward && !options.CopyBToA) || (done == backward && options.EndAtBEof))
                StopFor(RelayEndReason.BothEof);
            else if (done == forward && options.CopyAToB && options.QuitAfterInputEof is { } linger)
                quit = QuitLaterAsync(linger, () => StopFor(RelayEndReason.QuitAfterInputEof), stop.Token);

            DirectionOutcome f = await forward.ConfigureAwait(false);
            DirectionOutcome r = await backward.ConfigureAwait(false);
            int stopped = Volatile.Read(ref stoppedFor);
            StopFor(RelayEndReason.BothEof); // ends the idle and quit timers
            await Task.WhenAll(idle, quit).ConfigureAwait(false);

            // The first failure is the reason; a cancellation that followed it is only its consequence.
            DirectionOutcome? failure = !first.ReachedEof && first.Reason != RelayEndReason.Cancelled ? first
                : !f.ReachedEof && f.Reason != RelayEndReason.Cancelled ? f
                : !r.ReachedEof && r.Reason != RelayEndReason.Cancelled ? r
                : null;
            RelayEndReason reason = failure?.Reason
                ?? (stopped >= 0 ? (RelayEndReason)stopped
                    : f.ReachedEof && r.ReachedEof ? RelayEndReason.BothEof
                    : RelayEndReason.Cancelled);
            return new RelayResult(f.Bytes, r.Bytes, reason, failure?.Error);
        }
        catch
        {
            // Only a bug gets here (stream failures are results): stop the rest and observe it.
            StopFor(RelayEndReason.Cancelled);
            _ = Task.WhenAll(forward, backward, idle, quit).ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>The direction not copied (<c>--send-only</c>): "ends" only when the relay stops.</summary>
    private static Task<DirectionOutcome> Start(DirectionPump pump, Action onEof, bool dedicatedThread, CancellationToken stop)
        => dedicatedThread
            ? Task.Factory.StartNew(() => pump.RunAsync(onEof, stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()
            : pump.RunAsync(onEof, stop);

    private static async Task<DirectionOutcome> NeverUntil(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return new DirectionOutcome(0, RelayEndReason.BothEof);
    }

    private static async Task WatchIdleAsync(ActivityClock clock, TimeSpan limit, Action onIdle, CancellationToken stop)
    {
        if (await clock.WaitIdleAsync(limit, stop).ConfigureAwait(false)) onIdle();
    }

    private static async Task QuitLaterAsync(TimeSpan linger, Action onQuit, CancellationToken stop)
    {
        try
        {
            await Task.Delay(linger, stop).ConfigureAwait(false);
            onQuit();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
