namespace Sockit.Relay;

/// <summary>When bytes last moved, for the idle timeout. One volatile store per chunk.</summary>
internal sealed class ActivityClock
{
    private long _last = Environment.TickCount64;

    public void Touch() => Volatile.Write(ref _last, Environment.TickCount64);

    public TimeSpan Idle => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _last));

    /// <summary>Completes when nothing has moved for <paramref name="limit"/>; returns false if cancelled first.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan limit, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                TimeSpan idle = Idle;
                if (idle >= limit) return true;
                await Task.Delay(limit - idle, cancel).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
