using System.Net;
using Sockit.Protocols.Ping;

namespace Sockit.Tests;

public sealed class PingStatisticsTests
{
    [Fact]
    public void AllRepliesGiveNoLossAndRoundTrips()
    {
        var statistics = new PingStatistics("127.0.0.1", 4, 4, [0.045, 0.050, 0.040, 0.061]);
        Assert.Equal(
            [
                "--- 127.0.0.1 ping statistics ---",
                "4 packets transmitted, 4 received, 0% packet loss",
                "rtt min/avg/max = 0.040/0.049/0.061 ms",
            ],
            statistics.SummaryLines());
    }

    [Fact]
    public void NoReplyGivesFullLossAndNoRttLine()
    {
        var statistics = new PingStatistics("host", 2, 0, []);
        Assert.Equal(["--- host ping statistics ---", "2 packets transmitted, 0 received, 100% packet loss"], statistics.SummaryLines());
    }

    [Fact]
    public void PartialLossKeepsOneDecimal()
    {
        Assert.Contains("3 packets transmitted, 2 received, 33.3% packet loss", new PingStatistics("h", 3, 2, [1, 2]).SummaryLines());
        Assert.Equal(0, new PingStatistics("h", 0, 0, []).LossPercent);
    }

    [Fact]
    public void LinesLookLikePing()
    {
        Assert.Equal("PING localhost (127.0.0.1): 56 data bytes", PingText.Header("localhost", IPAddress.Loopback, 56));
        Assert.Equal("64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms",
            PingText.Reply(IPAddress.Loopback, new IcmpEchoReply(1, 1, 64, 64), 0.045));
        Assert.Equal("64 bytes from ::1: icmp_seq=2 time=1.500 ms",
            PingText.Reply(IPAddress.IPv6Loopback, new IcmpEchoReply(1, 2, 64, null), 1.5));
        Assert.Equal("Request timeout for icmp_seq=3", PingText.Timeout(3));
    }
}
