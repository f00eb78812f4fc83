using System.CommandLine;
using Sockit.Protocols.Grumpy;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit connect SERVER PORT --udp</c> (or <c>--unix PATH --udp</c>): the seed's client over datagrams.</summary>
internal static class ConnectDatagram
{
    public static Option<bool> CreateOption() => new("--udp", "-u")
    {
        Description = "Send the message as one datagram (UDP; Unix SOCK_DGRAM with --unix) and wait for one back",
    };

    /// <summary>
    /// One exchange. Errors are one line: <c>[Client recv error]: no reply within 5 s</c>,
    /// <c>[Client recv error]: Connection refused</c> (an ICMP port unreachable), <c>[Client connect error]: ...</c>.
    /// </summary>
    public static async Task<int> RunAsync(GrumpyClientOptions options, CancellationToken cancel)
    {
        try
        {
            await GrumpyDatagramClient.RunAsync(options, cancel);
        }
        catch (Exception e) when (SocketErrorText.ToUserError(e, "Client", "recv", options.Server.UnixPath) is { } userError)
        {
            throw userError;
        }
        return ExitCodes.Success;
    }
}
