using System.Net;
using System.Net.Sockets;

namespace Sockit.Transports;

/// <summary>
/// Connection racing per RFC 8305 (Happy Eyeballs v2): addresses interleaved by family with IPv6 first, one
/// attempt started every attempt delay (or as soon as the previous one fails), the first success kept and every
/// other attempt cancelled and closed. A dead IPv6 route then costs one delay, not a connect timeout.
/// </summary>
internal static class HappyEyeballs
{
    /// <summary>The order of attempts (RFC 8305 section 4): alternate families, starting with IPv6; each family keeps resolver order.</summary>
    public static IReadOnlyList<EndPoint> Interleave(IReadOnlyList<EndPoint> targets)
    {
        if (targets.Count < 2) return targets;
        EndPoint[] v6 = targets.Where(t => t.AddressFamily == AddressFamily.InterNetworkV6).ToArray();
        EndPoint[] other = targets.Where(t => t.AddressFamily != AddressFamily.InterNetworkV6).ToArray();
        var ordered = new List<EndPoint>(targets.Count);
        for (int i = 0; i < Math.Max(v6.Length, other.Length); i++)
        {
            if (i < v6.Length) ordered.Add(v6[i]);
            if (i < other.Length) ordered.Add(other[i]);
        }
        return ordered;
    }

    /// <summary>
    /// Races <paramref name="attempt"/> over <paramref name="targets"/> (already in attempt order). When every
    /// attempt fails, the last failure is thrown. <paramref name="attempt"/> closes its own socket when it fails;
    /// a loser that connected anyway is closed with <paramref name="discard"/>.
    /// </summary>
    public static async Task<Socket> RaceAsync(IReadOnlyList<EndPoint> targets, TimeSpan attemptDelay,
        Func<EndPoint, CancellationToken, Task<Socket>> attempt, Action<Socket> discard, CancellationToken cancel)
    {
        if (targets.Count == 1) return await attempt(targets[0], cancel).ConfigureAwait(false);
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var running = new List<Task<Socket>>(targets.Count);
        Exception? last = null;
        int next = 0;
        try
        {
            while (true)
            {
                if (next < targets.Count) running.Add(attempt(targets[next++], race.Token));
                if (running.Count == 0) break;
                Task done = next < targets.Count
                    ? await Task.WhenAny([.. running, Task.Delay(attemptDelay, race.Token)]).ConfigureAwait(false)
                    : await Task.WhenAny(running).ConfigureAwait(false);
                if (done is not Task<Socket> finished) continue; // the delay passed: start the next attempt
                running.Remove(finished);
                if (finished.IsCompletedSuccessfully) return finished.Result;
                cancel.ThrowIfCancellationRequested();
                last = finished.Exception?.InnerException ?? new OperationCanceledException(cancel);
            }
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(last ?? new SocketException((int)SocketError.HostNotFound));
            throw null!; // not reached
        }
        finally
        {
            await race.CancelAsync().ConfigureAwait(false);
            foreach (Task<Socket> loser in running)
            {
                try
                {
                    discard(await loser.ConfigureAwait(false));
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // A cancelled or failed loser has closed its own socket.
                }
            }
        }
    }
}
