using Sockit.Cli.Tls;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.Protocols.Broker;
using Sockit.Relay;

namespace Sockit.Cli.Relay;

/// <summary>With --broker or --chat: whether lines are framed as ncat's chat.</summary>
internal sealed record BrokerMode(bool Chat);

/// <summary>
/// <c>-l --broker</c> / <c>-l --chat</c>: accept clients until Ctrl-C, at most <c>--max-conns</c> at once, each a member
/// of one <see cref="BrokerHub"/>; stdin speaks to all of them (ncat's <c>&lt;user0&gt;</c>), stdout stays silent.
/// </summary>
internal static class BrokerCat
{
    public static async Task<int> RunAsync(CatSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        TlsSide? tls = TlsSide.Server(s.Tls, RelayLog.Error, log.Info);
        await using DuplexEnd stdin = StandardStreams.Open(s.Crlf);
        await using var server = CatListener.Listen(s, log);
        await using var hub = new BrokerHub(Options(s));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var cap = new ConnectionCap(s.MaxConnections, log.Verbose ? log.Info : null);

        Task<RelayResult> input = s.RecvOnly ? Task.FromResult(new RelayResult(0, 0, RelayEndReason.BothEof)) : hub.ServeInputAsync(stdin, stop.Token);
        Task serving = server.RunAsync((connection, abort) => ListenerClient.ServeAsync(connection, tls, cap, log, s, hub.ServeAsync, stop.Token, abort), stop.Token);

        try
        {
            await serving;
        }
        finally
        {
            await stop.CancelAsync();
            await input;
        }
        return ExitCodes.Success;
    }

    private static BrokerOptions Options(CatSettings s) => new()
    {
        SendQueueLimit = s.SendQueueLimit,
        Chat = s.Broker!.Chat ? ChatFormat.Ncat : null,
        FirstNumber = NcatFirstClientDescriptor(s.Endpoint),
        IdleTimeout = s.IdleTimeout,
    };

    /// <summary>
    /// ncat numbers chat users by file descriptor: 0-2 are stdio, then one listening socket per family it binds (two for
    /// the wildcard without -4/-6), so its first client is 5, or 4. Numbering the same way gives the same transcript.
    /// </summary>
    private static int NcatFirstClientDescriptor(EndpointSpec listen)
        => !listen.IsUnix && listen.Host is null && listen.Family == IpFamily.Any ? 5 : 4;
}
