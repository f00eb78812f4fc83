using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Samples;

/// <summary>samples/RawPing: an ICMP echo built by hand on a SOCK_RAW socket; the kernel's echo responder is the peer.</summary>
public sealed class RawPingSampleTests
{
    private static readonly string Sample = Repo.SamplePath("RawPing");

    [RawSocketFact]
    public async Task SampleGetsAnEchoReplyForEveryRequest()
    {
        await using var ping = RunningProcess.Start(Sample, "127.0.0.1", "2");
        Assert.Equal(0, await ping.WaitForExitAsync());

        var lines = ping.StdoutLines;
        Assert.Equal("PING 127.0.0.1: 56 data bytes", lines[0]);
        Assert.Matches(@"^64 bytes from 127\.0\.0\.1: icmp_seq=1 ttl=\d+ time=\d+\.\d{3} ms$", lines[1]);
        Assert.Matches(@"^64 bytes from 127\.0\.0\.1: icmp_seq=2 ttl=\d+ time=\d+\.\d{3} ms$", lines[2]);
        Assert.Equal("2 packets transmitted, 2 received", lines[3]);
        Assert.Equal(4, lines.Count);
        Assert.Equal("", ping.Stderr);
    }

    [AsNobodyFact]
    public async Task SampleWithoutPrivilegeSaysRawSocketsNeedRoot()
    {
        await using var ping = RunningProcess.Start(Privileges.SetprivPath!, Privileges.ProgramAsNobody(Sample, "127.0.0.1", "1"));
        Assert.Equal(1, await ping.WaitForExitAsync());
        Assert.Equal("[Ping socket error]: Permission denied (raw sockets need root or CAP_NET_RAW)", ping.Stderr.TrimEnd());
        Assert.Empty(ping.StdoutLines);
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("127.0.0.1", "0")]
    [InlineData("localhost")]
    public async Task SampleWithoutAnIPv4AddressPrintsUsage(params string[] arguments)
    {
        await using var ping = RunningProcess.Start(Sample, arguments);
        Assert.Equal(1, await ping.WaitForExitAsync());
        Assert.Equal("[Usage]: RawPing IPV4-ADDRESS [COUNT]", ping.Stderr.TrimEnd());
    }
}
