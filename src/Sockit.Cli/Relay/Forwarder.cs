using Sockit.Cli.Commands;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Cli.Relay;

/// <summary>
/// <c>sockit relay</c>: accepts clients until Ctrl-C; each gets its own upstream connection and a
/// <see cref="DuplexRelay"/> between the two connections. An upstream that cannot be reached
/// closes that client and logs one line; the forwarder keeps serving the others.
/// </summary>
internal static class Forwarder
{
    public static async Task<int> RunAsync(ForwardSettings s, CancellationToken cancel)
    {
        var log = new RelayLog(s.Verbose);
        var connect = new ConnectOptions { Timeout = s.ConnectTimeout, Trace = s.Trace };
        StreamServer server;
        try
        {
            server = StreamServer.Listen(s.Listen, new StreamServerOptions
            {
                Backlog = 4096,
                ShutdownGrace = TimeSpan.FromSeconds(2),
                Trace = s.Trace,
                OnConnectionError = (c, e) => RelayLog.Error($"[Relay error]: {c.Name}: {e.Message}"),
            });
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind") is { } userError)
        {
            throw userError;
        }
        await using (server)
        {
            log.Info($"Listening on {server.DisplayName}, relaying to {s.Target}");
            var options = new RelayOptions { BufferSize = s.BufferSize, IdleTimeout = s.IdleTimeout };
            int active = 0;
            await server.RunAsync(async (client, abort) =>
            {
                if (Interlocked.Increment(ref active) > s.MaxConnections)
                {
                    Interlocked.Decrement(ref active);
                    log.Info($"Connection from {client.Name} refused: --max-conns {s.MaxConnections} reached");
                    return;
                }
                try
                {
                    await ServeAsync(client, s, connect, options, log, abort);
                }
                finally
                {
                    Interlocked.Decrement(ref active);
                }
            }, cancel);
        }
        return ExitCodes.Success;
    }

    private static async Task ServeAsync(DuplexEnd client, ForwardSettings s, ConnectOptions connect, RelayOptions options,
        RelayLog log, CancellationToken abort)
    {
        log.Info($"Connection from {client.Name}");
        DuplexEnd upstream;
        try
        {
            upstream = await StreamConnector.ConnectAsync(s.Target, connect, abort);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Relay", "connect") is { } line)
        {
            // A timeout's text names the target already.
            RelayLog.Error($"{line.Message}{(e is TimeoutException ? "" : $" ({s.Target})")}; client {client.Name} closed");
            return;
        }
        await using var ownedUpstream = upstream;
        log.Info($"{client.Name} -> {upstream.Name}: connected");
        RelayResult result = await DuplexRelay.RunAsync(
            client, upstream, options, abort);
        log.Summary($"{client.Name} -> {upstream.Name}", result);
    }
}
