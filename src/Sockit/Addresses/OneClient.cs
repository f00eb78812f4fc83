using System.Runtime.ExceptionServices;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Addresses;

/// <summary>
/// A listener without <c>fork</c>, as socat's: accept one client, close the listener, serve that client, done.
/// A second client racing the first in is closed at once.
/// </summary>
internal static class OneClient
{
    /// <summary>
    /// Accepts one client on <paramref name="server"/> (whose shutdown grace must be infinite: the one relay is not
    /// aborted by the listener closing) and returns what <paramref name="serve"/> returns for it; the default when
    /// <paramref name="cancel"/> fired first. A failure of <paramref name="serve"/> is rethrown here.
    /// </summary>
    public static async Task<T?> ServeAsync<T>(StreamServer server, Func<DuplexEnd, CancellationToken, Task<T>> serve, CancellationToken cancel)
    {
        using var accepting = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        int taken = 0;
        T? result = default;
        ExceptionDispatchInfo? failure = null;
        await server.RunAsync(async (client, abort) =>
        {
            if (Interlocked.Exchange(ref taken, 1) != 0) return;
            await accepting.CancelAsync().ConfigureAwait(false);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancel, abort);
            try
            {
                result = await serve(client, both.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, accepting.Token).ConfigureAwait(false);
        failure?.Throw();
        return result;
    }
}
