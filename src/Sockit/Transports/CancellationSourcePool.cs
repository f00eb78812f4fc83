namespace Sockit.Transports;

/// <summary>
/// Reusable token sources for per-connection timeouts. A source comes back only when
/// <see cref="CancellationTokenSource.TryReset"/> succeeds (it never fired), so its timer is reused too and a
/// steady stream of connections allocates no token source, timer or registration list of its own.
/// </summary>
internal sealed class CancellationSourcePool(int capacity)
{
    private readonly object _gate = new();
    private readonly CancellationTokenSource[] _free = new CancellationTokenSource[capacity];
    private int _count;

    /// <summary>A source that has not fired and has no timer armed.</summary>
    public CancellationTokenSource Rent()
    {
        lock (_gate)
        {
            if (_count > 0)
            {
                CancellationTokenSource source = _free[--_count];
                _free[_count] = null!;
                return source;
            }
        }
        return new CancellationTokenSource();
    }

    /// <summary>Takes <paramref name="source"/> back, or disposes it when it fired or the pool is full.
    /// Every registration on it must have been disposed, and nobody may use it afterwards.</summary>
    public void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            lock (_gate)
            {
                if (_count < _free.Length)
                {
                    _free[_count++] = source;
                    return;
                }
            }
        }
        source.Dispose();
    }
}
