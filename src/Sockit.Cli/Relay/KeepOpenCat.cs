using Sockit.Cli.Tls;
using Sockit.Hosting;
using Sockit.Relay;

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
        var cap = new ConnectionCap(s.MaxConnections, log.Verbose ? log.Info : null);

        Task<RelayEndReason> broadcast = hub.BroadcastAsync(stop.Token);
        Task serving = server.RunAsync((connection, abort) => ListenerClient.ServeAsync(connection, tls, cap, log, s, hub.ServeAsync, stop.Token, abort), stop.Token);

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
