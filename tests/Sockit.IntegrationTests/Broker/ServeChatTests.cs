using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Broker;

/// <summary><c>sockit serve PORT --chat</c>: the seed's client asks "would you like to chat?" and this server says yes.</summary>
public sealed class ServeChatTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerGreetsAndRelaysEveryLineWithTheSpeakersName(string family)
    {
        await using FamilyServer server = await Families.ServeAsync(family, "--chat");
        using Socket first = await server.ConnectRawAsync();
        Assert.StartsWith("Hello ", await ReadLineAsync(first));
        using Socket second = await server.ConnectRawAsync();
        string greeting = await ReadLineAsync(second);
        Assert.Contains("1 other is here", greeting, StringComparison.Ordinal);
        string joined = await ReadLineAsync(first);
        Assert.EndsWith(" joined.", joined, StringComparison.Ordinal);
        string secondName = joined[..^" joined.".Length];

        await second.SendAsync("Hello server, would you like to chat?\n"u8.ToArray());
        Assert.Equal($"{secondName} said: Hello server, would you like to chat?", await ReadLineAsync(first));
        second.Shutdown(SocketShutdown.Send);
        Assert.Equal($"{secondName} left.", await ReadLineAsync(first));
        await server.Process.WaitForLineAsync(l => l.StartsWith(secondName + ": sent ", StringComparison.Ordinal), Bound);
    }

    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        using var deadline = new CancellationTokenSource(Bound);
        while (await socket.ReceiveAsync(one, SocketFlags.None, deadline.Token) == 1 && one[0] != '\n') line.Add(one[0]);
        return Encoding.UTF8.GetString([.. line]);
    }
}
