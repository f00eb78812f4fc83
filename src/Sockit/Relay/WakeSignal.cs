using System.Threading.Tasks.Sources;

namespace Sockit.Relay;

/// <summary>
/// Wakes one waiter when any number of setters say "something changed"; reusable, so waiting does not
/// allocate. A <see cref="Set"/> that comes before the wait is not lost: the next wait completes at once.
/// The waiter re-checks its condition after every wake (wakes may be spurious).
/// </summary>
internal sealed class WakeSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _pending;
    private int _waiting;

    public void Set()
    {
        Volatile.Write(ref _pending, 1);
        if (Interlocked.Exchange(ref _waiting, 0) == 1) _core.SetResult(true);
    }

    /// <summary>Only one caller at a time, and only after the previous wait has completed.</summary>
    public ValueTask WaitAsync()
    {
        _core.Reset();
        Volatile.Write(ref _waiting, 1);
        // A Set since the last wait: take the wait back, unless a setter already completed it.
        if (Interlocked.Exchange(ref _pending, 0) == 1 && Interlocked.Exchange(ref _waiting, 0) == 1) return ValueTask.CompletedTask;
        return new ValueTask(this, _core.Version);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
