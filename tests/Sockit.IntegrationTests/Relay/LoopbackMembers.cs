using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Relay;

/// <summary>Real loopback TCP members for an in-process hub: the client sockets, and the hub serving each accepted side.</summary>
internal static class LoopbackMembers
{
    /// <summary>Connects <paramref name="count"/> clients to <paramref name="listener"/> and hands each accepted side to <paramref name="serve"/>.</summary>
    public static async Task ConnectAsync(Socket listener, int count, Func<DuplexEnd, Task<RelayResult>> serve, List<Socket> clients, List<Task<RelayResult>> serving)
    {
        for (int i = 0; i < count; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            clients.Add(client);
            await client.ConnectAsync(listener.LocalEndPoint!);
            Socket accepted = await listener.AcceptAsync();
            serving.Add(serve(new SocketEnd(accepted, SocketCalls.Untraced)));
        }
    }
}
