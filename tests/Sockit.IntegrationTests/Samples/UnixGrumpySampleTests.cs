using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Samples;

/// <summary>samples/UnixGrumpy (AF_UNIX stream sockets) against nc -U and <c>sockit serve --unix</c>.</summary>
public sealed class UnixGrumpySampleTests
{
    private const string Reply = "I'm a grumpy server, don't connect, I don't want no friends!";
    private const string Hello = "Hello server, would you like to chat?";
    private static readonly string Sample = Repo.SamplePath("UnixGrumpy");

    [Fact]
    public async Task SampleServerAnswersAnNcClientOnItsSocketFile()
    {
        using var dir = new TempDir();
        string path = dir.File("g.sock");
        await using var server = RunningProcess.Start(Sample, "server", path);
        await server.WaitForLineAsync($"SERVER AT {path} LISTENING FOR CONNECTIONS");

        await using var nc = RunningProcess.Start(Peers.Nc, "-U", path);
        await nc.Input.WriteAsync(Hello + "\n");
        await nc.Input.FlushAsync();

        Assert.Equal(Reply, await nc.WaitForLineAsync(_ => true));
        await server.WaitForLineAsync($"client said: {Hello}");
        Assert.Equal("RECEIVED CONNECTION FROM an unnamed socket", server.StdoutLines[1]);
    }

    [Fact]
    public async Task SampleClientTalksToSockitServeUnix()
    {
        using var dir = new TempDir();
        string path = dir.File("g.sock");
        await using var server = await ServerProcess.StartAsync("--unix", path);

        await using var client = RunningProcess.Start(Sample, "client", path);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT {path}", $"server said: {Reply}"], client.StdoutLines);
        await server.Process.WaitForLineAsync(l => l.EndsWith($" said: {Hello}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SampleServerReplacesAStaleSocketFile()
    {
        using var dir = new TempDir();
        string path = dir.File("g.sock");
        // What a crashed server leaves: a socket file nobody listens on. (Python, because .NET removes the file
        // of a Unix socket it bound when the socket is disposed.)
        await using (var crashed = RunningProcess.Start(Peers.Python, "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path))
            Assert.Equal(0, await crashed.WaitForExitAsync());
        Assert.True(File.Exists(path));

        await using var server = RunningProcess.Start(Sample, "server", path);
        await server.WaitForLineAsync($"SERVER AT {path} LISTENING FOR CONNECTIONS");
        await using var client = RunningProcess.Start(Sample, "client", path);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal($"server said: {Reply}", client.StdoutLines[1]);
    }

    [Fact]
    public async Task SecondSampleServerOnALiveSocketFileFailsWithAddressInUse()
    {
        using var dir = new TempDir();
        string path = dir.File("g.sock");
        await using var first = RunningProcess.Start(Sample, "server", path);
        await first.WaitForLineAsync($"SERVER AT {path} LISTENING FOR CONNECTIONS");

        await using var second = RunningProcess.Start(Sample, "server", path);
        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Equal("[Server bind error]: Address already in use", second.Stderr.TrimEnd());

        // The first server was not disturbed: its file is still there and it still answers.
        await using var client = RunningProcess.Start(Sample, "client", path);
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task SampleClientWithoutASocketFileSaysNoSuchFile()
    {
        using var dir = new TempDir();
        string path = dir.File("none.sock");
        await using var client = RunningProcess.Start(Sample, "client", path);
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Equal($"[Client connect error]: {path}: No such file or directory", client.Stderr.TrimEnd());
    }
}
