using Sockit.Cli.Tls;
using Sockit.Hosting;
using Sockit.Relay;
using Sockit.Security;

namespace Sockit.Cli.Relay;

/// <summary>
/// What <c>-l -k</c> and <c>-l --broker</c> do with each accepted client around serving it: the TLS handshake (before a
/// <c>--max-conns</c> slot is taken, so clients that never finish it hold none), the cap, and the <c>-v</c> lines.
/// </summary>
internal static class ListenerClient
{
    public static async ValueTask ServeAsync(DuplexEnd connection, TlsSide? tls, ConnectionCap cap, RelayLog log, CatSettings s,
        Func<DuplexEnd, CancellationToken, Task<RelayResult>> serve, CancellationToken stop, CancellationToken abort)
    {
        await using TlsEnd? secured = tls is null ? null : await tls.SecureAsync(connection, "", abort);
        if (tls is not null && secured is null) return;
        connection = secured ?? connection;
        if (!cap.TryEnter(connection.Name)) return;
        try
        {
            log.Info($"Connection from {connection.Name}");
            using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, abort);
            RelayResult result = await serve(connection, both.Token);
            if (result.Reason == RelayEndReason.FellBehind)
                log.Info($"Dropped {connection.Name}: more than {s.SendQueueLimit} bytes waiting for it (--send-queue)");
            else if (result.Reason == RelayEndReason.IdleTimeout && s.IdleTimeout is { } idle)
                log.Info($"Closed {connection.Name}: nothing moved for {idle.TotalSeconds:0.###} s (-i)");
            log.Summary(connection.Name, result);
        }
        finally
        {
            cap.Leave();
        }
    }
}
