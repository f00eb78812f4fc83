using System.Net;
using System.Net.Sockets;
using Sockit.Cli.Output;
using Sockit.Scan;

namespace Sockit.Tests;

public sealed class ScanTextTests
{
    [Fact]
    public void PortLinesNameTheStateAndWhyAPortIsFiltered()
    {
        Assert.Equal("22/tcp open", ScanText.Line(new PortScanResult(22, PortState.Open)));
        Assert.Equal("23/tcp closed", ScanText.Line(new PortScanResult(23, PortState.Closed, SocketError.ConnectionRefused)));
        Assert.Equal("24/tcp filtered (ETIMEDOUT)", ScanText.Line(new PortScanResult(24, PortState.Filtered, SocketError.TimedOut)));
        Assert.Equal("25/tcp filtered (EHOSTUNREACH)", ScanText.Line(new PortScanResult(25, PortState.Filtered, SocketError.HostUnreachable)));
    }

    [Fact]
    public void SummaryCountsEachState()
    {
        var report = new ScanReport("127.0.0.1", IPAddress.Loopback,
            [new(1, PortState.Open), new(2, PortState.Closed), new(3, PortState.Closed), new(4, PortState.Filtered)],
            TimeSpan.FromMilliseconds(1234));
        Assert.Equal("scanned 4 ports on 127.0.0.1 in 1.23 s: 1 open, 2 closed, 1 filtered", ScanText.Summary(report));
    }

    [Fact]
    public void SummaryShowsTheAddressBehindAName()
    {
        var report = new ScanReport("localhost", IPAddress.IPv6Loopback, [new(80, PortState.Open)], TimeSpan.FromSeconds(0.5));
        Assert.Equal("scanned 1 port on localhost (::1) in 0.50 s: 1 open, 0 closed, 0 filtered", ScanText.Summary(report));
    }
}
