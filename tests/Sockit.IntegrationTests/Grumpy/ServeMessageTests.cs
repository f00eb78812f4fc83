using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>How <c>sockit serve</c> reads a message: to newline, half-close, size limit or idle timeout.</summary>
public sealed class ServeMessageTests
{
    private const string Reply = ServeFamiliesTests.Reply;

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerLogsAFiveThousandByteMessageWhole(string family)
    {
        await using var server = await Families.ServeAsync(family);
        string message = string.Concat(Enumerable.Range(0, 500).Select(i => $"{i % 10}abcdefghi"));
        Assert.Equal(5000, message.Length);

        using Socket client = await server.ConnectRawAsync();
        await RawClient.SendAsync(client, message + "\n");
        Assert.Equal(Reply + "\n", await RawClient.ReadToEndAsync(client));

        string said = await server.Process.WaitForLineAsync(l => l.StartsWith(server.PeerHost + " said: ", StringComparison.Ordinal));
        Assert.Equal($"{server.PeerHost} said: {message}", said);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerAnswersABinaryMessageAndEscapesItInTheLog(string family)
    {
        await using var server = await Families.ServeAsync(family);
        byte[] everyByte = Enumerable.Range(0, 256).Select(i => (byte)i).Where(b => b != (byte)'\n').ToArray();

        using Socket client = await server.ConnectRawAsync();
        await RawClient.SendAsync(client, everyByte);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(Reply + "\n", await RawClient.ReadToEndAsync(client));

        string said = await server.Process.WaitForLineAsync(l => l.StartsWith(server.PeerHost + " said: ", StringComparison.Ordinal));
        Assert.StartsWith($"{server.PeerHost} said: \\x00\\x01", said, StringComparison.Ordinal);
        Assert.Contains("\\x08\t\\x0b", said, StringComparison.Ordinal); // a tab is kept as is
        Assert.Contains(" !\"#$%&'()*+,-./0123456789", said, StringComparison.Ordinal);
        Assert.EndsWith("\\xfd\\xfe\\xff", said, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[\x00-\x08\x0b-\x1f\x7f]", said);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task BytesAfterTheMessageLineAreCountedInTheLogNotSilentlyDropped(string family)
    {
        await using var server = await Families.ServeAsync(family);
        using Socket client = await server.ConnectRawAsync();
        await RawClient.SendAsync(client, "first line\nfifteen bytes!!");
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(Reply + "\n", await RawClient.ReadToEndAsync(client));
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: first line");
        string ignored = await server.Process.WaitForLineAsync(l => l.StartsWith("IGNORED ", StringComparison.Ordinal));
        Assert.Matches(@"^IGNORED 15 BYTES FROM \S+ AFTER ITS MESSAGE$", ignored);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerAnswersAHalfClosedClientWithoutNewline(string family)
    {
        await using var server = await Families.ServeAsync(family);
        using Socket client = await server.ConnectRawAsync();
        await RawClient.SendAsync(client, "no newline here");
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(Reply + "\n", await RawClient.ReadToEndAsync(client));
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: no newline here");
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerCutsAMessageLongerThanMaxMessage(string family)
    {
        await using var server = await Families.ServeAsync(family, "--max-message", "100");
        using Socket client = await server.ConnectRawAsync();
        string message = new('m', 300);
        await RawClient.SendAsync(client, message + "\n");

        Assert.Equal(Reply + "\n", await RawClient.ReadToEndAsync(client));
        await server.Process.WaitForLineAsync($"{server.PeerHost} said: {new string('m', 100)}");
        string cut = await server.Process.WaitForLineAsync(l => l.StartsWith("MESSAGE FROM ", StringComparison.Ordinal));
        Assert.Matches($"^MESSAGE FROM {server.PeerPattern} CUT AT 100 BYTES$", cut);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerAnswersAndDropsAnIdleClient(string family)
    {
        await using var server = await Families.ServeAsync(family, "--timeout", "1s");
        using Socket client = await server.ConnectRawAsync();

        Assert.Equal(Reply + "\n", await RawClient.ReadToEndAsync(client));
        string timedOut = await server.Process.WaitForLineAsync(l => l.StartsWith("TIMED OUT WAITING FOR ", StringComparison.Ordinal));
        Assert.Matches($"^TIMED OUT WAITING FOR {server.PeerPattern} AFTER 1 s; ANSWERED AND DROPPED$", timedOut);
        Assert.DoesNotContain(server.Process.StdoutLines, l => l.Contains(" said: ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ServerLogsUtf8TextAsIs(string family)
    {
        await using var server = await Families.ServeAsync(family);
        using Socket client = await server.ConnectRawAsync();
        await RawClient.SendAsync(client, Encoding.UTF8.GetBytes("grüß dich, 世界\r\n"));

        Assert.Equal(Reply + "\n", await RawClient.ReadToEndAsync(client));
        string said = await server.Process.WaitForLineAsync(l => l.StartsWith(server.PeerHost + " said: ", StringComparison.Ordinal));
        Assert.Equal($"{server.PeerHost} said: grüß dich, 世界", said);
        Assert.DoesNotMatch(new Regex(@"\\x"), said);
    }
}
