using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Grumpy;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>
/// <c>--timeout</c> is a deadline for the whole message (a client trickling bytes cannot hold its connection past
/// it); <c>--idle-timeout</c> drops a client that goes quiet between bytes, for grumpy and for <c>--echo</c>.
/// </summary>
public sealed class ServeTimeoutTests
{
    [Fact]
    public async Task ClientTricklingBytesIsAnsweredAndDroppedAtTheMessageDeadline()
    {
        await using var server = await ServerProcess.StartAsync("--timeout", "1s");
        // One byte every 100 ms never leaves the connection silent, and never finishes the line.
        await using var python = Client(server, """
            try:
                for i in range(100):
                    s.sendall(b"x")
                    time.sleep(0.1)
            except OSError:
                pass
            """);
        string timedOut = await server.Process.WaitForLineAsync(l => l.StartsWith("TIMED OUT WAITING FOR ", StringComparison.Ordinal));
        Assert.Matches(@"^TIMED OUT WAITING FOR 127\.0\.0\.1:\d+ AFTER 1 s; ANSWERED AND DROPPED$", timedOut);
        // Cut by the deadline, well before the 10 s the trickle would take: fewer than its 100 bytes arrived.
        Assert.Contains(server.Process.StdoutLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^127\\.0\\.0\\.1 said: x{1,99}$"));
        await python.WaitForExitAsync();
    }

    [Fact]
    public async Task ClientQuietBetweenBytesIsAnsweredAndDroppedAfterTheIdleTimeout()
    {
        await using var server = await ServerProcess.StartAsync("--timeout", "20s", "--idle-timeout", "300ms");
        await using var python = Client(server, """
            s.sendall(b"half a line")
            """);
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal([GrumpyText.Reply], python.StdoutLines);
        string idle = await server.Process.WaitForLineAsync(l => l.StartsWith("TIMED OUT WAITING FOR ", StringComparison.Ordinal));
        Assert.Matches(@"^TIMED OUT WAITING FOR 127\.0\.0\.1:\d+: IDLE FOR 300 ms; ANSWERED AND DROPPED$", idle);
        Assert.Contains("127.0.0.1 said: half a line", server.Process.StdoutLines);
    }

    [Fact]
    public async Task IdleTimeoutLongerThanTheGapsLetsATrickledLineThrough()
    {
        await using var server = await ServerProcess.StartAsync("--timeout", "20s", "--idle-timeout", "2s");
        await using var python = Client(server, """
            for piece in (b"slow ", b"but ", b"whole\n"):
                s.sendall(piece)
                time.sleep(0.2)
            """);
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal([GrumpyText.Reply], python.StdoutLines);
        await server.Process.WaitForLineAsync("127.0.0.1 said: slow but whole");
        Assert.DoesNotContain(server.Process.StdoutLines, l => l.StartsWith("TIMED OUT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EchoDropsAClientIdleForTheIdleTimeoutAfterEchoingWhatItSent()
    {
        await using var server = await ServerProcess.StartAsync("--echo", "--idle-timeout", "300ms");
        await using var python = Client(server, """
            s.sendall(b"ping\n")
            """);
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal(["ping"], python.StdoutLines);
        string idle = await server.Process.WaitForLineAsync(l => l.StartsWith("TIMED OUT WAITING FOR ", StringComparison.Ordinal));
        Assert.Matches(@"^TIMED OUT WAITING FOR 127\.0\.0\.1:\d+: IDLE FOR 300 ms; DROPPED$", idle);
        await server.Process.WaitForLineAsync(l => l.StartsWith("ECHOED 5 BYTES TO 127.0.0.1:", StringComparison.Ordinal));
    }

    /// <summary>A python client connected to <paramref name="server"/> that runs <paramref name="body"/> (with
    /// <c>s</c> its socket), then prints what it receives until the server closes.</summary>
    private static RunningProcess Client(ServerProcess server, string body) => RunningProcess.Start(Peers.Python, "-c", $$"""
        import socket, sys, time
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
        {{body}}
        {{PythonSnippets.PrintUntilClosed}}
        """, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("--max-in-flight", "8")]
    [InlineData("--udp", "--idle-timeout", "1s")]
    public async Task OptionsForTheOtherKindOfServerAreOneLineAndExitOne(params string[] arguments)
    {
        await using var serve = RunningProcess.Sockit(["serve", "0", .. arguments]);
        Assert.Equal(1, await serve.WaitForExitAsync());
        Assert.Single(serve.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Empty(serve.StdoutLines);
    }
}
