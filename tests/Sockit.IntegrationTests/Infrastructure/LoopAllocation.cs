namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>The bytes an event loop's own thread has allocated, read once the loop has gone quiet.</summary>
internal static class LoopAllocation
{
    /// <summary>
    /// The figure <paramref name="read"/> gives once two readings 100 ms apart agree: the loop notes its thread's
    /// allocations once per turn, so after the last client's close has been handled the figure stays put.
    /// </summary>
    public static async Task<long> SettledAsync(Func<long?> read)
    {
        long last = -1;
        for (int i = 0; i < 100; i++)
        {
            await Task.Delay(100);
            long now = read() ?? throw new InvalidOperationException("the event loop is not serving");
            if (now == last) return now;
            last = now;
        }
        throw new TimeoutException("the server's loop kept allocating with no client");
    }
}
