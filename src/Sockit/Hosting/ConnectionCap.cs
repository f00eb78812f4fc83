namespace Sockit.Hosting;

/// <summary>
/// At most <see cref="Max"/> clients served at once (<c>--max-conns</c>): a client past the cap is refused at once with
/// one log line, as ncat does, instead of waiting in the listen backlog. Thread-safe; every successful
/// <see cref="TryEnter"/> must be paired with one <see cref="Leave"/>.
/// </summary>
public sealed class ConnectionCap
{
    private readonly Action<string>? _log;
    private int _active;

    /// <summary>A cap of <paramref name="max"/> clients; refusals are logged to <paramref name="log"/> when set.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is less than 1.</exception>
    public ConnectionCap(int max, Action<string>? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        Max = max;
        _log = log;
    }

    /// <summary>The most clients served at once.</summary>
    public int Max { get; }

    /// <summary>Clients holding a place now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Takes a place for <paramref name="peer"/>; false, and one log line naming it, when all are taken.</summary>
    public bool TryEnter(string peer)
    {
        if (Interlocked.Increment(ref _active) <= Max) return true;
        Interlocked.Decrement(ref _active);
        _log?.Invoke($"Connection from {peer} refused: --max-conns {Max} reached");
        return false;
    }

    /// <summary>Gives back a place taken by <see cref="TryEnter"/>.</summary>
    public void Leave() => Interlocked.Decrement(ref _active);
}
