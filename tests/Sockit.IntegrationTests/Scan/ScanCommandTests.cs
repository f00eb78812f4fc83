using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Scan;

/// <summary><c>sockit scan</c> as a process, against ncat, socat and our own test listeners.</summary>
public sealed class ScanCommandTests
{
    [Fact]
    public async Task ScanFindsNcatAndSocatListenersAndNothingElse()
    {
        int ncatPort = FreePort.Tcp(), socatPort = FreePort.Tcp();
        using var listeners = new Listeners();
        int closed1 = listeners.Closed(AddressFamily.InterNetwork), closed2 = listeners.Closed(AddressFamily.InterNetwork);
        await using var ncat = RunningProcess.Start(Peers.Ncat, "-l", "-k", "127.0.0.1", ncatPort.ToString());
        await using var socat = RunningProcess.Start(Peers.Socat, $"TCP-LISTEN:{socatPort},bind=127.0.0.1,fork,reuseaddr", "SYSTEM:true");
        await ListeningPeer.WaitAsync(IPAddress.Loopback, ncatPort);
        await ListeningPeer.WaitAsync(IPAddress.Loopback, socatPort);

        await using var scan = RunningProcess.Sockit("scan", "127.0.0.1", $"{ncatPort},{socatPort},{closed1},{closed2}", "-w", "10s");

        Assert.Equal(0, await scan.WaitForExitAsync());
        var expected = new[] { ncatPort, socatPort }.Order().Select(p => $"{p}/tcp open");
        var lines = scan.StdoutLines;
        Assert.Equal(expected, lines.Take(2));
        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^scanned 4 ports on 127\.0\.0\.1 in \d+\.\d\d s: 2 open, 2 closed, 0 filtered$", lines[2]);
        Assert.Equal("", scan.Stderr);
    }

    [Fact]
    public async Task AllListsEveryPortInOrderOverIPv6()
    {
        using var listeners = new Listeners();
        int open = listeners.Open(AddressFamily.InterNetworkV6), closed = listeners.Closed(AddressFamily.InterNetworkV6);
        int silent = listeners.OpenSilent(AddressFamily.InterNetworkV6);
        int[] ports = [open, closed, silent];

        await using var scan = RunningProcess.Sockit("scan", "-6", "::1", string.Join(',', ports), "--all", "-w", "1s");

        Assert.Equal(0, await scan.WaitForExitAsync());
        var byPort = new Dictionary<int, string>
        {
            [open] = $"{open}/tcp open",
            [closed] = $"{closed}/tcp closed",
            [silent] = $"{silent}/tcp filtered (ETIMEDOUT)",
        };
        var lines = scan.StdoutLines;
        Assert.Equal(ports.Order().Select(p => byPort[p]), lines.Take(3));
        Assert.Matches(@"^scanned 3 ports on ::1 in \d+\.\d\d s: 1 open, 1 closed, 1 filtered$", lines[3]);
    }

    [Fact]
    public async Task AScanWithNoOpenPortsStillSucceeds()
    {
        using var listeners = new Listeners();
        int closed = listeners.Closed(AddressFamily.InterNetwork);

        await using var scan = RunningProcess.Sockit("scan", "127.0.0.1", closed.ToString());

        Assert.Equal(0, await scan.WaitForExitAsync());
        string line = Assert.Single(scan.StdoutLines);
        Assert.EndsWith(": 0 open, 1 closed, 0 filtered", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TraceShowsTheConnectCallsOnStderr()
    {
        using var listeners = new Listeners();
        int open = listeners.Open(AddressFamily.InterNetwork);

        await using var scan = RunningProcess.Sockit("scan", "127.0.0.1", open.ToString(), "--trace", "-w", "10s");

        Assert.Equal(0, await scan.WaitForExitAsync());
        Assert.Matches($@"(?m)^connect\(\d+, 127\.0\.0\.1:{open}\) = 0$", scan.Stderr);
        Assert.Equal($"{open}/tcp open", scan.StdoutLines[0]);
    }

    [Theory]
    [InlineData("0", "invalid port '0'")]
    [InlineData("70000", "invalid port '70000'")]
    [InlineData("5-3", "invalid port range '5-3'")]
    [InlineData("abc", "invalid port 'abc'")]
    [InlineData("80,", "invalid port ''")]
    public async Task BadPortListsFailWithOneLine(string ports, string message)
    {
        await using var scan = RunningProcess.Sockit("scan", "127.0.0.1", ports);

        Assert.Equal(1, await scan.WaitForExitAsync());
        Assert.Empty(scan.StdoutLines);
        string error = scan.Stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith("[Scan port error]: " + message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--concurrency", "0")]
    [InlineData("--timeout", "soon")]
    public async Task BadOptionsFailWithOneLine(string option, string value)
    {
        await using var scan = RunningProcess.Sockit("scan", "127.0.0.1", "80", option, value);

        Assert.Equal(1, await scan.WaitForExitAsync());
        string error = scan.Stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith($"invalid {option} '{value}'", error, StringComparison.Ordinal);
    }
}
