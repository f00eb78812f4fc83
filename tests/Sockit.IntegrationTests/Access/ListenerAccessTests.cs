using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Access;

/// <summary>
/// --allow/--deny on the other listeners: nc -l (one client), -k, -e, the relay, and both datagram listeners. A refused
/// client gets nothing and costs the others nothing; its bytes never reach stdout, a program or the far end.
/// </summary>
public sealed class ListenerAccessTests
{
    private static async Task<(RunningProcess Process, int Port)> StartNcAsync(params string[] args)
    {
        var process = RunningProcess.Sockit(["nc", "-v", .. args]);
        string listening = await process.WaitForStderrLineAsync("Listening on ");
        return (process, AccessClient.PortIn(listening));
    }

    [Fact]
    public async Task ListenOnceSkipsARefusedClientAndServesTheNextOne()
    {
        (RunningProcess nc, int port) = await StartNcAsync("-l", "0", "--deny", "127.0.0.1");
        await using var _ = nc;
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", port, "secret\n"));
        await nc.WaitForStderrLineAsync("Connection from 127.0.0.1:");
        Assert.Matches(@"Connection from 127\.0\.0\.1:\d+ refused: denied by --deny 127\.0\.0\.1", nc.Stderr);

        using Socket allowed = await AccessClient.ConnectAsync("127.0.0.2", "127.0.0.1", port);
        await RawClient.SendAsync(allowed, "hello\n");
        allowed.Shutdown(SocketShutdown.Send);
        Assert.Equal("hello", await nc.WaitForLineAsync(_ => true, AccessClient.Bound));
        nc.Input.Close();
        Assert.Equal(0, await nc.WaitForExitAsync(AccessClient.Bound));
        Assert.DoesNotContain("secret", nc.StdoutLines);
    }

    [Fact]
    public async Task KeepOpenServesOnlyTheAllowListAndBroadcastsToIt()
    {
        (RunningProcess nc, int port) = await StartNcAsync("-lk", "0", "--allow", "127.0.0.2,::1");
        await using var _ = nc;
        using Socket refused = await AccessClient.ConnectAsync("127.0.0.1", "127.0.0.1", port);
        using Socket two = await AccessClient.ConnectAsync("127.0.0.2", "127.0.0.1", port);
        using Socket six = await AccessClient.ConnectAsync("::1", "::1", port);
        await RawClient.SendAsync(two, "from two\n");
        await RawClient.SendAsync(six, "from six\n");
        await nc.WaitForLineAsync("from two", AccessClient.Bound);
        await nc.WaitForLineAsync("from six", AccessClient.Bound);
        await nc.WaitForStderrAsync(e => e.Contains("refused: not in the allow list", StringComparison.Ordinal), AccessClient.Bound);

        await nc.Input.WriteAsync("to everyone\n");
        nc.Input.Close();
        Assert.Equal("to everyone\n", await AccessClient.ReceivedAsync(two));
        Assert.Equal("to everyone\n", await AccessClient.ReceivedAsync(six));
        Assert.Equal("", await AccessClient.ReceivedAsync(refused));
    }

    [Theory]
    [InlineData("-lk")]
    [InlineData("-l")]
    public async Task ExecListenerStartsNoProgramForARefusedClient(string listen)
    {
        (RunningProcess nc, int port) = await StartNcAsync(listen, "0", "-e", "/bin/cat", "--deny", "127.0.0.1");
        await using var _ = nc;
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", port, "secret\n"));
        await nc.WaitForStderrAsync(e => e.Contains("refused: denied by --deny 127.0.0.1", StringComparison.Ordinal), AccessClient.Bound);
        Assert.DoesNotContain("exec: pid", nc.Stderr, StringComparison.Ordinal);

        Assert.Equal("echo me\n", await AccessClient.ExchangeAsync("127.0.0.2", "127.0.0.1", port, "echo me\n"));
        Assert.Single(nc.Stderr.Split('\n'), l => l.Contains("started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RelayForwardsAllowedClientsOnlyAndTheUpstreamNeverHearsTheOthers()
    {
        await using ServerProcess upstream = await ServerProcess.StartAsync("--echo");
        await using var relay = RunningProcess.Sockit("relay", "-l", "0", "-v", "--deny", "127.0.0.3", "--deny", "::1", "127.0.0.1", upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string listening = await relay.WaitForStderrLineAsync("Listening on ");
        int port = AccessClient.PortIn(listening[..listening.IndexOf(", relaying", StringComparison.Ordinal)]);

        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.3", "127.0.0.1", port, "secret\n"));
        Assert.Equal("", await AccessClient.ExchangeAsync("::1", "::1", port, "secret six\n"));
        Assert.Equal("relayed\n", await AccessClient.ExchangeAsync("127.0.0.4", "127.0.0.1", port, "relayed\n"));
        await relay.WaitForStderrAsync(e => e.Contains("refused: denied by --deny ::1", StringComparison.Ordinal), AccessClient.Bound);
        Assert.Matches(@"Connection from 127\.0\.0\.3:\d+ refused: denied by --deny 127\.0\.0\.3", relay.Stderr);
        Assert.Single(upstream.Process.StdoutLines, l => l.StartsWith("RECEIVED CONNECTION FROM", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UdpListenerDropsADeniedPeerAndNeverAnswersIt()
    {
        (RunningProcess nc, int port) = await StartNcAsync("-u", "-l", "0", "--deny", "127.0.0.1");
        await using var _ = nc;
        using var denied = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 0));
        using var allowed = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var target = new IPEndPoint(IPAddress.Loopback, port);
        await denied.SendAsync("secret\n"u8.ToArray(), target);
        await allowed.SendAsync("open\n"u8.ToArray(), target);
        await nc.WaitForLineAsync("open", AccessClient.Bound);
        Assert.DoesNotContain("secret", nc.StdoutLines);
        Assert.Matches(@"Datagram from 127\.0\.0\.1:\d+ dropped: denied by --deny 127\.0\.0\.1", nc.Stderr);

        await nc.Input.WriteAsync("back\n");
        await nc.Input.FlushAsync();
        UdpReceiveResult got = await allowed.ReceiveAsync().WaitAsync(AccessClient.Bound);
        Assert.Equal("back\n", Encoding.ASCII.GetString(got.Buffer));
        await Task.Delay(200);
        Assert.Equal(0, denied.Available);
    }

    [Fact]
    public async Task DatagramServerDropsADeniedPeerUnanswered()
    {
        await using ServerProcess server = await ServerProcess.StartAsync("--udp", "--deny", "127.0.0.1");
        using var denied = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 0));
        using var allowed = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var target = new IPEndPoint(IPAddress.Loopback, server.Port);
        await denied.SendAsync("secret\n"u8.ToArray(), target);
        await allowed.SendAsync("open\n"u8.ToArray(), target);
        UdpReceiveResult got = await allowed.ReceiveAsync().WaitAsync(AccessClient.Bound);
        Assert.StartsWith("I'm a grumpy server", Encoding.ASCII.GetString(got.Buffer), StringComparison.Ordinal);
        await server.Process.WaitForLineAsync(l => l.StartsWith("DROPPED DATAGRAM FROM 127.0.0.1:", StringComparison.Ordinal) && l.EndsWith(": denied by --deny 127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Process.StdoutLines, l => l.Contains("secret", StringComparison.Ordinal));
        await Task.Delay(200);
        Assert.Equal(0, denied.Available);
    }
}
