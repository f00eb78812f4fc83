using System.CommandLine;
using Sockit.Protocols.Broker;
using Sockit.Protocols.Grumpy;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit serve PORT --chat</c>: the server that says yes to the seed's "would you like to chat?": one greeting
/// line, then every line a client sends goes to all the others after its name.
/// </summary>
internal static class ChatServe
{
    public static Option<bool> CreateOption() => new("--chat")
    {
        Description = "Say yes to chatting: greet each client, relay every line it sends to all the others as 'HOST:PORT said: LINE'",
    };

    /// <summary>Runs a chat server with the listener settings already parsed for the grumpy server.</summary>
    public static async Task<int> RunAsync(GrumpyServerOptions parsed, CancellationToken stop)
    {
        await using var hub = new BrokerHub(new BrokerOptions { Chat = ChatFormat.Seed, IdleTimeout = parsed.IdleTimeout });
        return await EchoServe.HostAsync(parsed, hub.CreateHandler(parsed.Log), stop);
    }
}
