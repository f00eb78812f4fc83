using System.CommandLine;
using Sockit.Hosting;
using Sockit.Protocols.Echo;
using Sockit.Protocols.Grumpy;
using Sockit.Transports;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit serve PORT --echo</c>: the same listener, the echo handler instead of the grumpy one.</summary>
internal static class EchoServe
{
    public static Option<bool> CreateOption() => new("--echo")
    {
        Description = "Echo every byte back until the client half-closes, instead of the grumpy reply",
    };

    /// <summary>Runs an echo server with the listener settings already parsed for the grumpy server.</summary>
    public static Task<int> RunAsync(GrumpyServerOptions parsed, CancellationToken stop)
        => HostAsync(parsed, EchoHandler.Create(parsed.Log, parsed.IdleTimeout), stop);

    /// <summary>Runs <paramref name="handler"/> (echo, chat) on a <see cref="StreamHost"/> with the listener settings parsed for the grumpy server.</summary>
    public static async Task<int> HostAsync(GrumpyServerOptions parsed, ConnectionHandler handler, CancellationToken stop)
    {
        var options = new HostOptions
        {
            Endpoint = parsed.Endpoint,
            Backlog = parsed.Backlog,
            ShutdownGrace = parsed.ShutdownGrace,
            UnixMode = parsed.UnixMode,
            Tls = parsed.Tls,
            Log = parsed.Log,
            Trace = parsed.Trace,
            Access = parsed.Access,
            MaxConnections = parsed.MaxConnections,
        };
        StreamHost server;
        try
        {
            server = StreamHost.Start(options, handler);
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind") is { } userError)
        {
            throw userError;
        }
        await using (server)
        {
            await server.RunAsync(stop);
        }
        return ExitCodes.Success;
    }
}
