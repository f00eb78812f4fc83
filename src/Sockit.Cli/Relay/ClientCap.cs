namespace Sockit.Cli.Relay;

/// <summary>
/// <c>--max-conns</c> for <c>-l -k</c>: a client beyond the cap is accepted and closed at once, with a <c>-v</c>
/// line (as ncat does), instead of waiting in the backlog.
/// </summary>
internal sealed class ClientCap(int max, RelayLog log)
{
    private int _active;

    /// <summary>Takes a place for <paramref name="peer"/>; false (and a -v line) when all <c>max</c> are taken. Pair a true with <see cref="Leave"/>.</summary>
    public bool TryEnter(string peer)
    {
        if (Interlocked.Increment(ref _active) <= max) return true;
        Interlocked.Decrement(ref _active);
        log.Info($"Connection from {peer} refused: --max-conns {max} reached");
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _active);
}
