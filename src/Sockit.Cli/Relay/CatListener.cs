using Sockit.Access;
using Sockit.Cli.Commands;
using Sockit.Transports;

namespace Sockit.Cli.Relay;

/// <summary>Binds the stream listener for <c>-l</c>, with the seed-style error on failure.</summary>
internal static class CatListener
{
    public static StreamServer Listen(CatSettings s, RelayLog log)
    {
        StreamServer server;
        try
        {
            server = StreamServer.Listen(s.Endpoint, new StreamServerOptions
            {
                Backlog = 128,
                ShutdownGrace = Timeout.InfiniteTimeSpan,
                Trace = s.Trace,
                OnConnectionError = (c, e) => RelayLog.Error($"[Relay error]: {c.Name}: {e.Message}"),
                Access = s.Access,
                OnRefused = (peer, decision) => log.Info(AccessText.Refused(peer, decision)),
            });
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind") is { } userError)
        {
            throw userError;
        }
        log.Info($"Listening on {server.DisplayName}");
        return server;
    }
}
