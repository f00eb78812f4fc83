using System.Globalization;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Scan;

namespace Sockit.IntegrationTests.Relay;

/// <summary><c>sockit nc -z</c> next to OpenBSD <c>nc -z</c> on the same loopback ports: same exit code, same -v lines.</summary>
public sealed class ZeroIoScanTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    // "open", "closed", "silent" (no answer: a full accept queue), "closed-range" (CLOSED-CLOSED).
    [Theory]
    [InlineData("open")]
    [InlineData("closed")]
    [InlineData("open", "closed")]
    [InlineData("closed", "open")]
    [InlineData("closed", "closed")]
    [InlineData("closed-range", "open")]
    [InlineData("silent", "closed")]
    public async Task ExitCodeAndVerboseLinesMatchNc(params string[] kinds)
    {
        using var listeners = new Listeners();
        string[] ports = kinds.Select(kind => kind switch
        {
            "open" => Text(listeners.Open(AddressFamily.InterNetwork)),
            "closed" => Text(listeners.Closed(AddressFamily.InterNetwork)),
            "silent" => Text(listeners.OpenSilent(AddressFamily.InterNetwork)),
            _ => Range(listeners.Closed(AddressFamily.InterNetwork)),
        }).ToArray();
        string[] argv = ["-z", "-v", "-w", "1", "127.0.0.1", .. ports];

        await using var nc = RunningProcess.Start(Peers.Nc, argv);
        int ncExit = await nc.WaitForExitAsync(Bound);
        await using var ours = RunningProcess.Sockit(["nc", .. argv]);
        int ourExit = await ours.WaitForExitAsync(Bound);

        Assert.Equal(kinds.Contains("open") ? 0 : 1, ourExit);
        Assert.Equal(ncExit, ourExit);
        Assert.Equal(kinds.Length, Lines(ours.Stderr).Length);
        Assert.Equal(Lines(nc.Stderr), Lines(ours.Stderr));
        Assert.Empty(ours.StdoutLines);
    }

    [Fact]
    public async Task WithoutVerboseNothingIsPrinted()
    {
        using var listeners = new Listeners();
        string open = listeners.Open(AddressFamily.InterNetwork).ToString(CultureInfo.InvariantCulture);
        string closed = listeners.Closed(AddressFamily.InterNetwork).ToString(CultureInfo.InvariantCulture);
        await using var ours = RunningProcess.Sockit("nc", "-z", "127.0.0.1", closed, open);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal("", ours.Stderr);
        await using var none = RunningProcess.Sockit("nc", "-z", "127.0.0.1", closed);
        Assert.Equal(1, await none.WaitForExitAsync(Bound));
        Assert.Equal("", none.Stderr);
    }

    [Fact]
    public async Task IPv6AndHostNamesAreShownLikeNc()
    {
        if (!Socket.OSSupportsIPv6) return;
        using var listeners = new Listeners();
        string open = listeners.Open(AddressFamily.InterNetworkV6).ToString(CultureInfo.InvariantCulture);
        await using var ours = RunningProcess.Sockit("nc", "-zv6", "::1", open);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal($"Connection to ::1 {open} port [tcp/*] succeeded!", ours.Stderr.Trim());

        string open4 = listeners.Open(AddressFamily.InterNetwork).ToString(CultureInfo.InvariantCulture);
        await using var named = RunningProcess.Sockit("nc", "-zv4", "localhost", open4);
        Assert.Equal(0, await named.WaitForExitAsync(Bound));
        Assert.Equal($"Connection to localhost (127.0.0.1) {open4} port [tcp/*] succeeded!", named.Stderr.Trim());
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Range(int port) => $"{Text(port)}-{Text(port)}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
