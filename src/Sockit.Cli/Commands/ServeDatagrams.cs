using System.CommandLine;
using Sockit.Protocols.Grumpy;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit serve PORT --udp</c> (or <c>--unix PATH --udp</c>): the grumpy server over datagrams.</summary>
internal static class ServeDatagrams
{
    public static Option<bool> CreateOption() => new("--udp", "-u")
    {
        Description = "Serve datagrams (UDP; Unix SOCK_DGRAM with --unix): answer each one by sendto",
    };

    /// <summary>Binds, serves until Ctrl-C/SIGTERM, exits 0; a bind failure is one seed-style line.</summary>
    public static async Task<int> RunAsync(GrumpyServerOptions options)
    {
        using var termination = new TerminationSignal();
        GrumpyDatagramServer server;
        try
        {
            server = GrumpyDatagramServer.Start(options);
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Server", "bind", options.Endpoint.UnixPath) is { } userError)
        {
            throw userError;
        }
        await using (server)
        {
            await server.RunAsync(termination.Token);
        }
        return ExitCodes.Success;
    }
}
