using System.Globalization;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary><c>sockit connect</c> against servers that are not ours: nc -l and the seed's own C server.</summary>
public sealed class ConnectTests
{
    private const string Hello = ServeFamiliesTests.Hello;
    private const string Reply = ServeFamiliesTests.Reply;

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ClientTalksToAnNcListener(string family)
    {
        using var dir = new TempDir();
        string path = dir.File("nc.sock");
        string port = FreePort.Tcp(family == Families.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork).ToString(CultureInfo.InvariantCulture);
        (string[] ncArgs, string[] connectArgs, string where, string host) = family switch
        {
            Families.IPv4 => (new[] { "-v", "-l", "127.0.0.1", port }, new[] { "connect", "127.0.0.1", port }, $"127.0.0.1:{port}", "127.0.0.1"),
            Families.IPv6 => (["-6", "-v", "-l", "::1", port], ["connect", "-6", "::1", port], $"[::1]:{port}", "::1"),
            _ => (["-v", "-l", "-U", path], ["connect", "--unix", path], path, path),
        };

        await using var nc = RunningProcess.Start(Peers.Nc, ncArgs);
        await nc.Input.WriteAsync("nc here, hello\n");
        await nc.Input.FlushAsync();
        await nc.WaitForStderrAsync(e => e.Contains("Listening on", StringComparison.Ordinal));

        await using var client = RunningProcess.Sockit(connectArgs);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT {where}", $"{host} said: nc here, hello"], client.StdoutLines);
        Assert.Equal(Hello, await nc.WaitForLineAsync(_ => true));
    }

    [Fact]
    public async Task ClientTalksToTheSeedsCServer()
    {
        // IPv4 only: the seed's server is AF_INET with INADDR_ANY. Its stdout is block-buffered (no flush, no
        // newline after LISTENING), so readiness is seen by retrying while the port still refuses, and the
        // assertions are on our client's output.
        string seedServer = await SeedPrograms.ServerAsync();
        string port = FreePort.Tcp().ToString(CultureInfo.InvariantCulture);
        await using var server = RunningProcess.Start(seedServer, port);

        using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
        while (true)
        {
            await using var client = RunningProcess.Sockit("connect", "127.0.0.1", port);
            int exit = await client.WaitForExitAsync();
            if (exit == 0)
            {
                // The C server's reply is spelled differently from the Python one and ours ("i'm", "dont").
                Assert.Equal([$"CLIENT CONNECTED TO SERVER AT 127.0.0.1:{port}", "127.0.0.1 said: i'm a grumpy server, dont connect, I don't want no friends!"], client.StdoutLines);
                return;
            }
            Assert.Equal("[Client connect error]: Connection refused\n", client.Stderr);
            Assert.False(server.Process.HasExited, "the seed's server exited");
            await Task.Delay(100, deadline.Token);
        }
    }

    [Fact]
    public async Task ClientResolvesLocalhost()
    {
        await using var server = await ServerProcess.StartAsync();
        string port = server.Port.ToString(CultureInfo.InvariantCulture);
        await using var client = RunningProcess.Sockit("connect", "localhost", port);

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT localhost:{port}", $"localhost said: {Reply}"], client.StdoutLines);
        await server.Process.WaitForLineAsync(l => l.EndsWith(" said: " + Hello, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientSendsTheGivenMessage()
    {
        await using var server = await ServerProcess.StartAsync("--message", "go away");
        string port = server.Port.ToString(CultureInfo.InvariantCulture);
        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", port, "-m", "knock knock");

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("127.0.0.1 said: go away", client.StdoutLines[^1]);
        await server.Process.WaitForLineAsync("127.0.0.1 said: knock knock");
    }
}
