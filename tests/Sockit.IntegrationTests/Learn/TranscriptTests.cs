using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Learn;

/// <summary>
/// The <c>sockit ... --trace</c> sessions docs/learn shows, run for real and compared with the committed
/// transcripts (see <see cref="TranscriptFiles"/>), so the pages cannot drift from what the tool does.
/// </summary>
public sealed class TranscriptTests
{
    private const int SigInt = 2;

    [Theory]
    [InlineData("tcp-ipv4.txt", "127.0.0.1", "-4")]
    [InlineData("tcp-ipv6.txt", "::1", "-6")]
    [InlineData("tcp-dual-stack.txt", "127.0.0.1", null)]
    public async Task GrumpyExchangeOverTcpMatchesTheTranscript(string name, string address, string? family)
    {
        string[] familyOption = family is null ? [] : [family];
        var transcript = await ServeOneClientAsync([.. familyOption, "--trace"], port => ["connect", address, port, "--trace"]);
        TranscriptFiles.AssertMatches(name, transcript);
    }

    [Fact]
    public async Task GrumpyExchangeOverUdpMatchesTheTranscript()
    {
        var transcript = await ServeOneClientAsync(["-4", "--udp", "--trace"], port => ["connect", "127.0.0.1", port, "--udp", "--trace"]);
        TranscriptFiles.AssertMatches("udp.txt", transcript);
    }

    [Fact]
    public async Task GrumpyExchangeOverAUnixSocketMatchesTheTranscript()
    {
        using var dir = new TempDir();
        string path = dir.File("grumpy.sock");
        var transcript = await ServeOneClientAsync(["--unix", path, "--trace"], _ => ["connect", "--unix", path, "--trace"]);
        transcript.ShowPathAs(dir.Path, "/tmp/learn");
        TranscriptFiles.AssertMatches("unix-stream.txt", transcript);
    }

    [Fact]
    public async Task NcTalkingToSockitServeMatchesTheTranscript()
    {
        var transcript = new Transcript();
        await using var server = await ServerProcess.StartAsync("-4", "--trace");
        transcript.ListeningPort(server.Port);

        // nc -N: send FIN when stdin ends, as the seed's session ends when the user presses Ctrl-D.
        const string Typed = "Hello server, would you like to chat?\n";
        await using var nc = RunningProcess.Start(Peers.Nc, "-N", "127.0.0.1", server.Port.ToString());
        await nc.Input.WriteAsync(Typed);
        await nc.Input.FlushAsync();
        await nc.WaitForLineAsync(_ => true);
        nc.Input.Close();
        int ncExit = await nc.WaitForExitAsync();

        int serverExit = await StopAsync(server.Process);
        transcript.Add("sockit serve 0 -4 --trace                 # stopped with Ctrl-C after the client", server.Process, serverExit);
        transcript.Add($"nc -N 127.0.0.1 {server.Port}", nc, ncExit, Typed);
        TranscriptFiles.AssertMatches("nc.txt", transcript);
    }

    [IsolatedFact]
    public async Task RawPingMatchesTheTranscript()
    {
        using var dir = new TempDir();
        await using var ping = Isolation.Start(dir, Repo.SockitPath, "ping", "127.0.0.1", "-c", "1", "-W", "10", "--trace");
        var transcript = new Transcript();
        transcript.Add("sockit ping 127.0.0.1 -c 1 --trace         # as root: a raw socket", ping, await ping.WaitForExitAsync());
        TranscriptFiles.AssertMatches("ping.txt", transcript);
    }

    [IsolatedFact]
    public async Task NameLookupsBothWaysMatchTheTranscript()
    {
        using var dir = new TempDir();
        var transcript = new Transcript();
        foreach (string name in new[] { "localhost", "127.0.0.1", "::1" })
        {
            await using var resolve = Isolation.Start(dir, Repo.SockitPath, "resolve", name, "--trace");
            transcript.Add($"sockit resolve {name} --trace", resolve, await resolve.WaitForExitAsync());
        }
        TranscriptFiles.AssertMatches("resolve.txt", transcript);
    }

    [Fact]
    public async Task SockaddrLayoutsMatchTheTranscript()
    {
        var transcript = new Transcript();
        foreach (string address in new[] { "127.0.0.1", "::1" })
        {
            await using var addr = RunningProcess.Sockit("addr", address, "10001");
            transcript.Add($"sockit addr {address} 10001", addr, await addr.WaitForExitAsync());
        }
        TranscriptFiles.AssertMatches("addr.txt", transcript);
    }

    [Fact]
    public void EveryTranscriptAPageEmbedsIsCommitted()
    {
        var embedded = TranscriptFiles.EmbeddedNames().ToList();
        Assert.NotEmpty(embedded);
        foreach (var (page, name) in embedded)
            Assert.True(File.Exists(Path.Combine(TranscriptFiles.Directory, name)), $"docs/learn/{page} embeds transcripts/{name}, which no test writes");
    }

    /// <summary>
    /// Starts <c>sockit serve [0] OPTIONS</c> (port 0 unless --unix), runs one <c>sockit CLIENT...</c> against it,
    /// stops the server with Ctrl-C and returns both as a transcript.
    /// </summary>
    private static async Task<Transcript> ServeOneClientAsync(string[] serve, Func<string, string[]> client)
    {
        var transcript = new Transcript();
        await using var server = await ServerProcess.StartAsync(serve);
        transcript.ListeningPort(server.Port);

        string[] clientArguments = client(server.Port.ToString());
        await using var connect = RunningProcess.Sockit(clientArguments);
        int clientExit = await connect.WaitForExitAsync();
        await server.Process.WaitForLineAsync(l => l.EndsWith(" said: Hello server, would you like to chat?", StringComparison.Ordinal));

        int serverExit = await StopAsync(server.Process);
        string port = serve.Contains("--unix") ? "" : "0 ";
        transcript.Add($"sockit serve {port}{string.Join(' ', serve)}   # stopped with Ctrl-C after the client", server.Process, serverExit);
        transcript.Add($"sockit {string.Join(' ', clientArguments)}", connect, clientExit);
        return transcript;
    }

    private static async Task<int> StopAsync(RunningProcess server)
    {
        server.Signal(SigInt);
        return await server.WaitForExitAsync();
    }
}
