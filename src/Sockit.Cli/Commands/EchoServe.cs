using System.CommandLine;
using Sockit.Hosting;
using Sockit.Protocols.Echo;
using Sockit.Protocols.Grumpy;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit serve PORT --echo</c>: the same listener, the echo handler instead of the grumpy one.</summary>
internal static class EchoServe
{
    public static Option<bool> CreateOption() => new("--echo")
    {
        Description = "Echo every byte back until the client half-closes, instead of the grumpy reply",
    };

    /// <summary>Runs an echo server with the listener settings already parsed for the grumpy server.</summary>
    public static async Task<int> RunAsync(GrumpyServerOptions parsed, CancellationToken stop)
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
            server = StreamHost.Start(options, EchoHandler.Create(parsed.Log, parsed.IdleTimeout));
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
