using Sockit.Cli.Tls;
using Sockit.Relay;
using Sockit.Security;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>-l -k</c>: accept clients until Ctrl-C, at most <c>--max-conns</c> at once; each client's data goes to
/// stdout in whole chunks, stdin goes to every connected client.
/// </summary>
internal static class KeepOpenCat
{
    public static async Task<int> RunAsync(CatSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        TlsSide? tls = TlsSide.Server(s.Tls, RelayLog.Error, log.Info);
        await using StdioSession stdio = StdioSession.Open(s);
        await using var server = CatListener.Listen(s, log);
        var hub = new BroadcastHub(stdio.End, StreamCat.Options(s, log), shutdownOnInputEof: !s.NoShutdown, s.SendQueueLimit);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var cap = new ClientCap(s.MaxConnections, log);

        Task<RelayEndReason> broadcast = hub.BroadcastAsync(stop.Token);
        Task serving = server.RunAsync(async (connection, abort) =>
        {
            // The handshake comes before a --max-conns slot is taken: clients that connect and never finish it
            // hold no slot, and give up their socket at the handshake timeout.
            await using TlsEnd? secured = tls is null ? null : await tls.SecureAsync(connection, "", abort);
            if (tls is not null && secured is null) return;
            connection = secured ?? connection;
            if (!cap.TryEnter(connection.Name)) return;
            try
            {
                log.Info($"Connection from {connection.Name}");
                using var both = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, abort);
                RelayResult result = await hub.ServeAsync(connection, both.Token);
                if (result.Reason == RelayEndReason.FellBehind)
                    log.Info($"Dropped {connection.Name}: more than {s.SendQueueLimit} bytes of stdin waiting for it (--send-queue)");
                log.Summary(connection.Name, result);
            }
            finally
            {
                cap.Leave();
            }
        }, stop.Token);

        try
        {
            await serving;
        }
        finally
        {
            await stop.CancelAsync();
            await broadcast;
        }
        return stdio.Finish(ExitCodes.Success, s.Sha256);
    }
}
