using Sockit.IntegrationTests.Infrastructure;
using static Sockit.IntegrationTests.Samples.SampleLines;

namespace Sockit.IntegrationTests.Samples;

/// <summary>
/// The teaching samples (samples/GrumpyServer, samples/GrumpyClient) against real peers: nc, <c>sockit connect</c>,
/// <c>sockit serve</c> and each other. They print exactly the seed's lines.
/// </summary>
public sealed class SampleProgramsTests
{
    private const string Reply = "I'm a grumpy server, don't connect, I don't want no friends!";
    private const string Hello = "Hello server, would you like to chat?";

    [Fact]
    public async Task SampleServerPrintsTheSeedLinesForAnNcClient()
    {
        await using var server = RunningProcess.Start(Repo.SampleServerPath, "0");
        int port = await ListeningPortAsync(server);

        await using var nc = RunningProcess.Start(Peers.Nc, "127.0.0.1", Text(port));
        await nc.Input.WriteAsync(Hello + "\n");
        await nc.Input.FlushAsync();

        Assert.Equal(Reply, await nc.WaitForLineAsync(_ => true));
        await server.WaitForLineAsync($"127.0.0.1 said: {Hello}");
        var lines = server.StdoutLines;
        Assert.Equal(3, lines.Count);
        Assert.Equal($"SERVER AT 0.0.0.0:{port} LISTENING FOR CONNECTIONS", lines[0]);
        Assert.Matches(@"^RECEIVED CONNECTION FROM 127\.0\.0\.1:\d+$", lines[1]);
        Assert.Equal($"127.0.0.1 said: {Hello}", lines[2]);
        Assert.Equal("", server.Stderr);
    }

    [Fact]
    public async Task SampleServerAnswersSockitConnectOneClientAfterAnother()
    {
        await using var server = RunningProcess.Start(Repo.SampleServerPath, "0");
        int port = await ListeningPortAsync(server);

        // Twice: the iterative accept loop must come back for the next client.
        for (int i = 0; i < 2; i++)
        {
            await using var client = RunningProcess.Sockit("connect", "127.0.0.1", Text(port));
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Equal([$"CLIENT CONNECTED TO SERVER AT 127.0.0.1:{port}", $"127.0.0.1 said: {Reply}"], client.StdoutLines);
        }

        await server.WaitForLineAsync(_ => server.StdoutLines.Count(l => l == $"127.0.0.1 said: {Hello}") == 2);
        Assert.Equal(5, server.StdoutLines.Count);
    }

    [Fact]
    public async Task SecondSampleServerOnTheSamePortFailsWithTheSeedsBindError()
    {
        // The sample sets plain SO_REUSEADDR. .NET's ReuseAddress option would add SO_REUSEPORT on Linux and
        // let this second server bind the port too; this test is what catches that.
        await using var first = RunningProcess.Start(Repo.SampleServerPath, "0");
        int port = await ListeningPortAsync(first);

        await using var second = RunningProcess.Start(Repo.SampleServerPath, Text(port));
        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Equal("[Server bind error]: Address already in use", second.Stderr.TrimEnd());
        Assert.Empty(second.StdoutLines);
    }

    [Fact]
    public async Task SampleServerWithoutAPortPrintsUsage()
    {
        await using var server = RunningProcess.Start(Repo.SampleServerPath);
        Assert.Equal(1, await server.WaitForExitAsync());
        Assert.Equal("[Usage]: GrumpyServer PORT", server.Stderr.TrimEnd());
        Assert.Empty(server.StdoutLines);
    }

    [Fact]
    public async Task SampleClientTalksToSockitServe()
    {
        await using var server = await ServerProcess.StartAsync();

        await using var client = RunningProcess.Start(Repo.SampleClientPath, "127.0.0.1", Text(server.Port));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT 127.0.0.1:{server.Port}", $"127.0.0.1 said: {Reply}"], client.StdoutLines);
        Assert.Equal("", client.Stderr);
        await server.Process.WaitForLineAsync($"127.0.0.1 said: {Hello}");
    }

    [Fact]
    public async Task SampleClientTalksToSampleServer()
    {
        await using var server = RunningProcess.Start(Repo.SampleServerPath, "0");
        int port = await ListeningPortAsync(server);

        await using var client = RunningProcess.Start(Repo.SampleClientPath, "127.0.0.1", Text(port));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT 127.0.0.1:{port}", $"127.0.0.1 said: {Reply}"], client.StdoutLines);
        await server.WaitForLineAsync($"127.0.0.1 said: {Hello}");
    }

    [Fact]
    public async Task SampleClientReportsConnectionRefused()
    {
        await using var client = RunningProcess.Start(Repo.SampleClientPath, "127.0.0.1", Text(FreePort.Closed()));
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Equal("[Client connect error]: Connection refused", client.Stderr.TrimEnd());
        Assert.Empty(client.StdoutLines);
    }

    [Theory]
    [InlineData]
    [InlineData("127.0.0.1")]
    public async Task SampleClientWithoutServerAndPortPrintsUsage(params string[] arguments)
    {
        await using var client = RunningProcess.Start(Repo.SampleClientPath, arguments);
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Equal("[Usage]: GrumpyClient SERVER PORT", client.Stderr.TrimEnd());
    }

    private static Task<int> ListeningPortAsync(RunningProcess server) => PortAsync(server, "SERVER AT 0.0.0.0:");
}
