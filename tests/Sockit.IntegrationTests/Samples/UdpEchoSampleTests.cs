using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;
using static Sockit.IntegrationTests.Samples.SampleLines;

namespace Sockit.IntegrationTests.Samples;

/// <summary>samples/UdpEcho (sendto/recvfrom) against nc -u and a Python datagram peer.</summary>
public sealed class UdpEchoSampleTests
{
    private static readonly string Sample = Repo.SamplePath("UdpEcho");

    // One datagram in, the same bytes back to whoever sent it, then exit.
    private const string PythonEchoOnce = """
        import socket, sys
        s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((sys.argv[1], 0))
        print(s.getsockname()[1], flush=True)
        s.settimeout(30)
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)
        """;

    [Fact]
    public async Task SampleServerEchoesAnNcDatagramAndLogsItsSender()
    {
        await using var server = RunningProcess.Start(Sample, "server", "0");
        int port = await PortAsync(server, "UDP ECHO SERVER AT 0.0.0.0:");

        await using var nc = RunningProcess.Start(Peers.Nc, "-u", "127.0.0.1", Text(port));
        await nc.Input.WriteAsync("hello over udp\n");
        await nc.Input.FlushAsync();

        Assert.Equal("hello over udp", await nc.WaitForLineAsync(_ => true));
        string logged = await server.WaitForLineAsync(l => l.StartsWith("RECEIVED ", StringComparison.Ordinal));
        Assert.Matches(@"^RECEIVED 15 BYTES FROM 127\.0\.0\.1:\d+: hello over udp$", logged);
        Assert.Equal("", server.Stderr);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:{0}")]
    [InlineData("::1", "[::1]:{0}")]
    public async Task SampleClientGetsItsEchoFromAPythonPeer(string address, string shown)
    {
        await using var python = RunningProcess.Start(Peers.Python, "-c", PythonEchoOnce, address);
        string port = await python.WaitForLineAsync(_ => true);
        string server = string.Format(CultureInfo.InvariantCulture, shown, port);

        await using var client = RunningProcess.Start(Sample, "client", address, port, "ping?");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"SENT 5 BYTES TO {server}", $"RECEIVED 5 BYTES FROM {server}: ping?"], client.StdoutLines);
        Assert.Equal(0, await python.WaitForExitAsync());
    }

    [Fact]
    public async Task SampleClientGivesUpWhenNoEchoComes()
    {
        // Nothing listens: the datagram is dropped and nothing is resent. The client waits 5 s, then says so.
        await using var client = RunningProcess.Start(Sample, "client", "127.0.0.1", Text(FreePort.Udp()), "anyone?");
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.StartsWith("[Client recvfrom error]: no echo within 5 s", client.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("server")]
    [InlineData("client", "127.0.0.1", "10001")]
    [InlineData("server", "65536")]
    public async Task SampleWithWrongArgumentsPrintsUsage(params string[] arguments)
    {
        await using var sample = RunningProcess.Start(Sample, arguments);
        Assert.Equal(1, await sample.WaitForExitAsync());
        Assert.Equal("[Usage]: UdpEcho server PORT | UdpEcho client SERVER PORT MESSAGE", sample.Stderr.TrimEnd());
    }
}
