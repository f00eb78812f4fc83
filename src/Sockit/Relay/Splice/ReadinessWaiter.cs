using System.Threading.Tasks.Sources;

namespace Sockit.Relay.Splice;

/// <summary>
/// One kind of readiness (readable or writable) of one descriptor, awaited by one direction at a time. The
/// reactor bumps <see cref="Sequence"/> on every edge; a direction reads it before its splice(2) and, on EAGAIN,
/// waits only if no edge came since, so an edge between the call and the wait is never lost. Reused for every
/// wait (no allocation per wait); a completion runs the direction's continuation inline, on the reactor's thread.
/// </summary>
internal sealed class ReadinessWaiter : IValueTaskSource
{
    private const int Idle = 0, Armed = 1;
    private ManualResetValueTaskSourceCore<bool> _core; // RunContinuationsAsynchronously stays false: inline
    private int _sequence;
    private int _state;

    public int Sequence => Volatile.Read(ref _sequence);

    /// <summary>An edge from the reactor: counts it and wakes the waiting direction, if any.</summary>
    public void Signal()
    {
        Interlocked.Increment(ref _sequence);
        Wake();
    }

    /// <summary>Wakes the waiting direction without an edge (it was cancelled: it looks at its token and returns).</summary>
    public void Wake()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Armed) == Armed) _core.SetResult(true);
    }

    /// <summary>Completes at the first edge after <paramref name="observed"/>, or once <paramref name="cancel"/> fires (the caller checks it).</summary>
    public ValueTask WaitAsync(int observed, CancellationToken cancel)
    {
        if (Sequence != observed || cancel.IsCancellationRequested) return ValueTask.CompletedTask;
        _core.Reset();
        Interlocked.Exchange(ref _state, Armed);
        // An edge or a cancellation between the check above and arming: take the wait back.
        if ((Sequence != observed || cancel.IsCancellationRequested) && Interlocked.CompareExchange(ref _state, Idle, Armed) == Armed)
            return ValueTask.CompletedTask;
        return new ValueTask(this, _core.Version);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
