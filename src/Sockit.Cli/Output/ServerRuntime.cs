namespace Sockit.Cli.Output;

/// <summary>
/// Process-wide settings for long-running servers (<c>sockit serve</c>), applied before any socket exists.
/// </summary>
internal static class ServerRuntime
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Log and trace lines are queued and written by their own threads (see <see cref="LineWriter"/>), so no
    /// handler ever waits on stdout or stderr. With that, socket completions may run their continuations
    /// right on the runtime's epoll thread instead of hopping to a thread-pool thread: one context switch
    /// less per I/O, which is what separated the grumpy server from a one-thread C epoll server
    /// (docs/benchmarks.md). The runtime reads the variable when its socket engine starts, i.e. at the
    /// first asynchronous socket call, so it must be set before that. An explicit setting by the user wins.
    /// Not for the echo server: its 1-connection ping-pong latency is better with the thread pool, whose
    /// threads spin briefly between messages (at the price of CPU).
    /// </summary>
    public static void Prepare(bool inlineCompletions)
    {
        LineWriter.StartBackgroundAll();
        if (inlineCompletions && Environment.GetEnvironmentVariable(InlineCompletions) is null)
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
    }
}
