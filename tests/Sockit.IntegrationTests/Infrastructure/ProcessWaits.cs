using System.Net.Sockets;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Bounded waits that <see cref="RunningProcess"/> does not offer itself.</summary>
public static class ProcessWaits
{
    /// <summary>Waits for a stderr line starting with <paramref name="prefix"/> and returns it (without its newline).</summary>
    public static async Task<string> WaitForStderrLineAsync(this RunningProcess process, string prefix, TimeSpan? timeout = null)
    {
        await process.WaitForStderrAsync(e => FirstLine(e, prefix) is not null, timeout);
        return FirstLine(process.Stderr, prefix)!;
    }

    private static string? FirstLine(string text, string prefix)
        => text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.TrimEnd();

    /// <summary>
    /// Waits until stderr satisfies <paramref name="match"/> (nc -v announces "Listening on" there), polling
    /// briefly; fails with the output so far after the deadline.
    /// </summary>
    public static async Task WaitForStderrAsync(this RunningProcess process, Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? RunningProcess.DefaultWait);
        while (!match(process.Stderr))
        {
            if (process.Process.HasExited)
                throw new Xunit.Sdk.XunitException($"process exited ({process.Process.ExitCode}) first.\nstderr:\n{process.Stderr}");
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting on stderr.\nstderr:\n{process.Stderr}");
            }
        }
    }

    /// <summary>Waits until the process has printed at least <paramref name="count"/> stdout lines; fails with the output so far.</summary>
    public static async Task WaitForLineCountAsync(this RunningProcess process, int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? RunningProcess.DefaultWait);
        while (process.StdoutLines.Count < count)
        {
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {count} lines, got {process.StdoutLines.Count}.\nstdout:\n{string.Join('\n', process.StdoutLines.Take(20))}\nstderr:\n{process.Stderr}");
            }
        }
    }

    /// <summary>
    /// Connects to <paramref name="target"/> until the connection is refused (the listener is gone), within a
    /// deadline. Connections that still succeed are closed at once.
    /// </summary>
    public static async Task WaitUntilRefusedAsync(System.Net.EndPoint target, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? RunningProcess.DefaultWait);
        while (true)
        {
            using var probe = new Socket(target.AddressFamily, SocketType.Stream, target is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(target, deadline.Token);
            }
            catch (SocketException)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{target} still accepts connections");
            }
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{target} still accepts connections");
            }
        }
    }
}
