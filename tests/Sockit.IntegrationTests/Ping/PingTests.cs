using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Ping;

/// <summary><c>sockit ping</c> over real ICMP sockets on loopback.</summary>
public sealed class PingTests
{
    private const string NoPermission = "[Ping socket error]: raw ICMP sockets need root (CAP_NET_RAW) and ping sockets are not allowed for this group (net.ipv4.ping_group_range)";

    [IcmpTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task PingGetsEveryReplyAndPrintsTheStatistics(string address)
    {
        await using var ping = RunningProcess.Sockit("ping", address, "-c", "3", "-i", "0.2", "-W", "10");
        Assert.Equal(0, await ping.WaitForExitAsync());

        var lines = ping.StdoutLines;
        Assert.Equal($"PING {address} ({address}): 56 data bytes", lines[0]);
        string ttl = address.Contains(':', StringComparison.Ordinal) || !Privileges.IsRoot ? "" : @" ttl=\d+";
        for (int seq = 1; seq <= 3; seq++)
            Assert.Matches($@"^64 bytes from {System.Text.RegularExpressions.Regex.Escape(address)}: icmp_seq={seq}{ttl} time=\d+\.\d{{3}} ms$", lines[seq]);
        Assert.Equal($"--- {address} ping statistics ---", lines[4]);
        Assert.Equal("3 packets transmitted, 3 received, 0% packet loss", lines[5]);
        Assert.Matches(@"^rtt min/avg/max = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms$", lines[6]);
        Assert.Equal(7, lines.Count);
        Assert.Equal("", ping.Stderr);
    }

    [IcmpFact]
    public async Task PingByNameShowsTheNameAndTheAddress()
    {
        await using var ping = RunningProcess.Sockit("ping", "localhost", "-4", "-c", "1", "-W", "10");
        Assert.Equal(0, await ping.WaitForExitAsync());
        Assert.Equal("PING localhost (127.0.0.1): 56 data bytes", ping.StdoutLines[0]);
        Assert.Contains("--- localhost ping statistics ---", ping.StdoutLines);
    }

    [IcmpFact]
    public async Task TraceShowsTheRawSocketAndTheEchoExchange()
    {
        await using var ping = RunningProcess.Sockit("ping", "127.0.0.1", "-c", "1", "-W", "10", "--trace");
        Assert.Equal(0, await ping.WaitForExitAsync());
        string trace = ping.Stderr;
        string socketKind = Privileges.IsRoot ? "SOCK_RAW" : "SOCK_DGRAM";
        Assert.Matches($@"(?m)^socket\(AF_INET, {socketKind}, IPPROTO_ICMP\) = \d+$", trace);
        Assert.Matches(@"(?m)^sendto\(\d+, 64, 127\.0\.0\.1:0\) = 64$", trace);
        Assert.Matches(@"(?m)^recvfrom\(\d+, 65536\) = \d+ \(127\.0\.0\.1:0\)$", trace);
        Assert.Matches(@"(?m)^close\(\d+\) = 0$", trace);
    }

    [IcmpFact]
    public async Task CountZeroPingsUntilCtrlCThenPrintsTheStatistics()
    {
        await using var ping = RunningProcess.Sockit("ping", "127.0.0.1", "-c", "0", "-i", "0.1", "-W", "10");
        await ping.WaitForLineAsync(l => l.Contains("icmp_seq=3 ", StringComparison.Ordinal));
        ping.Signal(2);
        Assert.Equal(0, await ping.WaitForExitAsync());
        Assert.Contains("--- 127.0.0.1 ping statistics ---", ping.StdoutLines);
        Assert.Matches(@"^\d+ packets transmitted, \d+ received, ", ping.StdoutLines[^2]);
        Assert.StartsWith("rtt min/avg/max = ", ping.StdoutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnresolvableHostIsOneLine()
    {
        await using var ping = RunningProcess.Sockit("ping", "nosuch.invalid", "-c", "1");
        Assert.Equal(1, await ping.WaitForExitAsync());
        Assert.Equal("[Ping resolve error]: nosuch.invalid: Name or service not known", ping.Stderr.TrimEnd('\n'));
    }

    [AsNobodyFact]
    public async Task WithoutPrivilegePingSaysWhyOrUsesAPingSocket()
    {
        await using var ping = RunningProcess.Start(Privileges.SetprivPath!, Privileges.AsNobody("ping", "127.0.0.1", "-c", "1", "-W", "10", "--trace"));
        int exit = await ping.WaitForExitAsync();
        if (Privileges.PingGroupAllows(Privileges.Nobody))
        {
            // The kernel lets nobody's group open ping sockets: the unprivileged path must work.
            Assert.Equal(0, exit);
            Assert.Contains("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)", ping.Stderr, StringComparison.Ordinal);
            Assert.Contains("1 packets transmitted, 1 received, 0% packet loss", ping.StdoutLines);
        }
        else
        {
            Assert.Equal(1, exit);
            string[] stderr = ping.Stderr.TrimEnd('\n').Split('\n');
            Assert.Matches(@"^socket\(AF_INET, SOCK_RAW, IPPROTO_ICMP\) = -1 (EPERM|EACCES)$", stderr[0]);
            Assert.Matches(@"^socket\(AF_INET, SOCK_DGRAM, IPPROTO_ICMP\) = -1 (EPERM|EACCES)$", stderr[1]);
            Assert.Equal(NoPermission, stderr[2]);
            Assert.Equal(3, stderr.Length);
            Assert.Empty(ping.StdoutLines);
        }
    }
}
