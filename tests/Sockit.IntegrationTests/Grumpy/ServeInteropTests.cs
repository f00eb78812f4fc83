using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary><c>sockit serve</c> against real clients: nc, Python 3 and the seed's own C client.</summary>
public sealed class ServeInteropTests
{
    private const string Reply = "I'm a grumpy server, don't connect, I don't want no friends!";
    private const string Hello = "Hello server, would you like to chat?";

    [Fact]
    public async Task ServerPrintsTheSeedLinesForAnNcClient()
    {
        await using var server = await ServerProcess.StartAsync();
        Assert.Equal($"SERVER AT 0.0.0.0:{server.Port} LISTENING FOR CONNECTIONS", server.ListeningLine);

        await using var nc = RunningProcess.Start(Peers.Nc, "127.0.0.1", server.Port.ToString());
        await nc.Input.WriteAsync(Hello + "\n");
        await nc.Input.FlushAsync();

        Assert.Equal(Reply, await nc.WaitForLineAsync(_ => true));
        string received = await server.Process.WaitForLineAsync(l => l.StartsWith("RECEIVED CONNECTION FROM ", StringComparison.Ordinal));
        Assert.Matches(@"^RECEIVED CONNECTION FROM 127\.0\.0\.1:\d+$", received);
        await server.Process.WaitForLineAsync($"127.0.0.1 said: {Hello}");
        var lines = server.Process.StdoutLines;
        Assert.Equal(3, lines.Count);
    }

    [Fact]
    public async Task ServerAnswersAPython3Client()
    {
        await using var server = await ServerProcess.StartAsync();
        const string script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(b"Hello from python\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            sys.stdout.write(data.decode())
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", script, server.Port.ToString());
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal([Reply], python.StdoutLines);
        await server.Process.WaitForLineAsync("127.0.0.1 said: Hello from python");
    }

    [Fact]
    public async Task ServerAnswersTheSeedsOwnCClient()
    {
        string client = await SeedPrograms.ClientAsync();
        await using var server = await ServerProcess.StartAsync();

        await using var seedClient = RunningProcess.Start(client, "127.0.0.1", server.Port.ToString());
        Assert.Equal(0, await seedClient.WaitForExitAsync());

        var output = seedClient.StdoutLines;
        Assert.Equal($"CLIENT CONNECTED TO SERVER AT 127.0.0.1:{server.Port}", output[0]);
        // The seed's client prints its buffer without terminating it; the reply itself must be there whole.
        Assert.StartsWith($"127.0.0.1 said: {Reply}", output[1], StringComparison.Ordinal);
        await server.Process.WaitForLineAsync($"127.0.0.1 said: {Hello}");
    }
}
