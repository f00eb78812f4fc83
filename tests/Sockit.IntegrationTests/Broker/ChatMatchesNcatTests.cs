using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Broker;

/// <summary>
/// <c>sockit nc -l --chat</c> beside <c>ncat -l --chat</c>, both driven by the same script of joins, lines, odd
/// bytes and leaves: every member's transcript is the same byte for byte, <c>&lt;userN&gt;</c> numbers included.
/// Where the two differ on purpose (docs/nc-compat.md), the second test shows both behaviours.
/// </summary>
public sealed class ChatMatchesNcatTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("any")]
    public async Task ChatTranscriptsMatchNcatByteForByte(string listen)
    {
        string[] ncat, ours;
        await using (var server = await NcatAsync(listen))
            ncat = await RunScriptAsync(server.Target);
        await using (var server = await OursAsync(listen))
            ours = await RunScriptAsync(server.Target);
        Assert.Contains("> is disconnected.\n", ncat[0], StringComparison.Ordinal);
        Assert.Equal(ncat, ours);
    }

    [Fact]
    public async Task ChatFramesLinesWhereNcatFramesReads()
    {
        string ncat, ours;
        await using (var server = await NcatAsync("127.0.0.1"))
            ncat = await RunDifferencesAsync(server.Target);
        await using (var server = await OursAsync("127.0.0.1"))
            ours = await RunDifferencesAsync(server.Target);
        // ncat prefixes each read: a line sent in two parts gets two prefixes, two lines in one read get one.
        Assert.Contains("<user5> par<user5> tial\n<user5> two\nlines\n", ncat, StringComparison.Ordinal);
        Assert.Contains("<user5> partial\n<user5> two\n<user5> lines\n", ours, StringComparison.Ordinal);
        // A last line cut short by the member's close ends with a newline before the leave notice.
        Assert.EndsWith("<user5> unfinished\n<announce> <user5> is disconnected.\n", ours, StringComparison.Ordinal);
    }

    private static async Task<string[]> RunScriptAsync(EndPoint target)
    {
        await using ChatClient a = await ChatClient.ConnectAsync(target);
        await a.ExpectLinesAsync(2, Bound);
        await using ChatClient b = await ChatClient.ConnectAsync(target);
        await Task.WhenAll(a.ExpectLinesAsync(2, Bound), b.ExpectLinesAsync(2, Bound));
        await a.SayAsync("hello\n");
        await b.ExpectLinesAsync(1, Bound);
        await b.SayAsync("tab\tand bytes \x01\x1b[31m\x7f\xc3\xa9 then cr\r\n");
        await a.ExpectLinesAsync(1, Bound);
        await using ChatClient c = await ChatClient.ConnectAsync(target);
        await Task.WhenAll(a.ExpectLinesAsync(2, Bound), b.ExpectLinesAsync(2, Bound), c.ExpectLinesAsync(2, Bound));
        await c.SayAsync("third\n");
        await Task.WhenAll(a.ExpectLinesAsync(1, Bound), b.ExpectLinesAsync(1, Bound));
        b.Close();
        await Task.WhenAll(a.ExpectLinesAsync(1, Bound), c.ExpectLinesAsync(1, Bound));
        c.Close();
        await a.ExpectLinesAsync(1, Bound);
        // The freed numbers are given out again, lowest first, as file descriptors are.
        await using ChatClient d = await ChatClient.ConnectAsync(target);
        await Task.WhenAll(a.ExpectLinesAsync(2, Bound), d.ExpectLinesAsync(2, Bound));
        await a.SayAsync("bye\n");
        await d.ExpectLinesAsync(1, Bound);
        return [a.Transcript, b.Transcript, c.Transcript, d.Transcript];
    }

    private static async Task<string> RunDifferencesAsync(EndPoint target)
    {
        await using ChatClient a = await ChatClient.ConnectAsync(target);
        await a.ExpectLinesAsync(2, Bound);
        await using ChatClient b = await ChatClient.ConnectAsync(target);
        await Task.WhenAll(a.ExpectLinesAsync(2, Bound), b.ExpectLinesAsync(2, Bound));
        await b.SayAsync("par");
        await Task.Delay(300);
        await b.SayAsync("tial\n");
        await Task.Delay(300);
        await b.SayAsync("two\nlines\n");
        await a.ExpectLinesAsync(3, Bound);
        await b.SayAsync("unfinished");
        await Task.Delay(300);
        b.Close();
        await a.ExpectLinesAsync(1, Bound);
        await Task.Delay(300);
        return a.Transcript;
    }

    private static async Task<ChatServer> NcatAsync(string listen)
    {
        int port = FreePort.Tcp(listen == "::1" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        string p = port.ToString(CultureInfo.InvariantCulture);
        RunningProcess ncat = RunningProcess.Start(Peers.Ncat, ["-l", "-v", "--chat", .. Where(listen, p)]);
        await ncat.WaitForStderrLineAsync("Ncat: Listening on ", Bound);
        return new ChatServer(ncat, Target(listen, port));
    }

    private static async Task<ChatServer> OursAsync(string listen)
    {
        RunningProcess ours = RunningProcess.Sockit(["nc", "-l", "-v", "--chat", .. Where(listen, "0")]);
        string line = await ours.WaitForStderrLineAsync("Listening on ", Bound);
        int port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        return new ChatServer(ours, Target(listen, port));
    }

    private static string[] Where(string listen, string port) => listen switch
    {
        "any" => ["-p", port],
        "::1" => ["-6", "::1", port],
        _ => [listen, port],
    };

    // The wildcard is reached over IPv4: ncat's IPv4 socket and our dual-stack one both name the client 127.0.0.1.
    private static IPEndPoint Target(string listen, int port) => new(listen == "::1" ? IPAddress.IPv6Loopback : IPAddress.Loopback, port);

    private sealed class ChatServer(RunningProcess process, EndPoint target) : IAsyncDisposable
    {
        public EndPoint Target => target;

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }
}
