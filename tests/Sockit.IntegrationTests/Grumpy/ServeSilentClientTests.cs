using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>
/// A client that connects and says nothing: the server waits for its first byte without holding a message
/// buffer, and the --timeout deadline still answers and drops it.
/// </summary>
public sealed class ServeSilentClientTests
{
    private const string Reply = "I'm a grumpy server, don't connect, I don't want no friends!";

    [Fact]
    public async Task ServerAnswersAndDropsASilentClientAfterTheTimeout()
    {
        await using var server = await ServerProcess.StartAsync("--timeout", "300ms");
        string script = $$"""
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
            {{PythonSnippets.PrintUntilClosed}}
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", script, server.Port.ToString());
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal([Reply], python.StdoutLines);
        string timedOut = await server.Process.WaitForLineAsync(l => l.StartsWith("TIMED OUT WAITING FOR ", StringComparison.Ordinal));
        Assert.Matches(@"^TIMED OUT WAITING FOR 127\.0\.0\.1:\d+ AFTER 300 ms; ANSWERED AND DROPPED$", timedOut);
        Assert.DoesNotContain(server.Process.StdoutLines, l => l.Contains(" said: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerStillReadsAMessageThatArrivesLate()
    {
        await using var server = await ServerProcess.StartAsync("--timeout", "20s");
        // Silent for a moment (the server is then parked in its zero-byte wait), then a line in two pieces.
        string script = $$"""
            import socket, sys, time
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
            time.sleep(0.3)
            s.sendall(b"late ")
            time.sleep(0.1)
            s.sendall(b"but whole\n")
            {{PythonSnippets.PrintUntilClosed}}
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", script, server.Port.ToString());
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal([Reply], python.StdoutLines);
        await server.Process.WaitForLineAsync("127.0.0.1 said: late but whole");
    }
}
