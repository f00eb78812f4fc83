using System.Collections.Concurrent;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Scan;

namespace Sockit.IntegrationTests.Scan;

/// <summary>The library's connect scan against listeners this test opens on loopback.</summary>
public sealed class PortScannerTests
{
    // Generous: an open or closed loopback port answers at once, but the machine may be loaded.
    private static readonly ScanOptions Patient = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static TheoryData<AddressFamily> Families => new() { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task ListeningPortsAreOpenAndTheOthersClosed(AddressFamily family)
    {
        using var listeners = new Listeners();
        int[] open = [listeners.Open(family), listeners.Open(family), listeners.Open(family)];
        int[] closed = [listeners.Closed(family), listeners.Closed(family)];
        int[] ports = [.. open, .. closed];
        Array.Sort(ports);

        ScanReport report = await PortScanner.ScanAsync(Host(family), ports, Patient);

        Assert.Equal(ports, report.Results.Select(r => r.Port));
        foreach (PortScanResult result in report.Results)
        {
            PortState expected = open.Contains(result.Port) ? PortState.Open : PortState.Closed;
            Assert.Equal(expected, result.State);
        }
        Assert.Equal((3, 2, 0), (report.Open, report.Closed, report.Filtered));
        Assert.Equal(Listeners.Loopback(family), report.Address);
        Assert.All(report.Results.Where(r => r.State == PortState.Closed), r => Assert.Equal(SocketError.ConnectionRefused, r.Error));
    }

    [Fact]
    public async Task APortThatNeverAnswersIsFilteredAfterTheTimeout()
    {
        using var listeners = new Listeners();
        int silent = listeners.OpenSilent(AddressFamily.InterNetwork);
        int open = listeners.Open(AddressFamily.InterNetwork);
        var options = new ScanOptions { Timeout = TimeSpan.FromMilliseconds(500) };

        ScanReport report = await PortScanner.ScanAsync(Host(AddressFamily.InterNetwork), [silent], options);

        PortScanResult result = Assert.Single(report.Results);
        Assert.Equal(new PortScanResult(silent, PortState.Filtered, SocketError.TimedOut), result);
        Assert.True(report.Elapsed >= TimeSpan.FromMilliseconds(400), $"gave up after {report.Elapsed}");
        // The scanner is not stuck afterwards: an open port right after still reads as open.
        Assert.Equal(PortState.Open, (await PortScanner.ScanAsync(Host(AddressFamily.InterNetwork), [open], Patient)).Results[0].State);
    }

    [Fact]
    public async Task EveryPortIsReportedOnceEvenWithOneConnectAtATime()
    {
        using var listeners = new Listeners();
        int[] ports = [listeners.Open(AddressFamily.InterNetwork), listeners.Closed(AddressFamily.InterNetwork), listeners.Open(AddressFamily.InterNetwork)];
        var seen = new ConcurrentBag<PortScanResult>();
        var options = Patient with { Concurrency = 1, OnResult = seen.Add };

        ScanReport report = await PortScanner.ScanAsync(Host(AddressFamily.InterNetwork), ports, options);

        Assert.Equal(ports, report.Results.Select(r => r.Port));
        Assert.Equal([PortState.Open, PortState.Closed, PortState.Open], report.Results.Select(r => r.State));
        Assert.Equal(report.Results.OrderBy(r => r.Port), seen.OrderBy(r => r.Port));
    }

    [Fact]
    public async Task TheConcurrencyCapBoundsConnectsInFlight()
    {
        using var listeners = new Listeners();
        int[] silent = [.. Enumerable.Range(0, 3).Select(_ => listeners.OpenSilent(AddressFamily.InterNetwork))];
        var timeout = TimeSpan.FromSeconds(1);

        // One at a time, three silent ports cost three whole timeouts...
        ScanReport serial = await PortScanner.ScanAsync(Host(AddressFamily.InterNetwork), silent, new ScanOptions { Timeout = timeout, Concurrency = 1 });
        Assert.True(serial.Elapsed >= timeout * 2.9, $"three sequential timeouts took only {serial.Elapsed}");

        // ...side by side they overlap (the bound leaves plenty of room for a loaded machine).
        ScanReport parallel = await PortScanner.ScanAsync(Host(AddressFamily.InterNetwork), silent, new ScanOptions { Timeout = timeout, Concurrency = 3 });
        Assert.True(parallel.Elapsed < timeout * 2.5, $"three concurrent timeouts took {parallel.Elapsed}");
        Assert.All(serial.Results.Concat(parallel.Results), r => Assert.Equal(PortState.Filtered, r.State));
    }

    [Fact]
    public async Task TraceShowsOneSocketConnectAndCloseForAnOpenPort()
    {
        using var listeners = new Listeners();
        int open = listeners.Open(AddressFamily.InterNetwork);
        var lines = new ConcurrentQueue<string>();
        var options = Patient with { Trace = new SocketTrace(lines.Enqueue) };

        await PortScanner.ScanAsync(Host(AddressFamily.InterNetwork), [open], options);

        string[] trace = [.. lines];
        Assert.Equal(3, trace.Length);
        Assert.Matches(@"^socket\(AF_INET, SOCK_STREAM, 0\) = \d+$", trace[0]);
        Assert.Matches($@"^connect\(\d+, 127\.0\.0\.1:{open}\) = 0$", trace[1]);
        Assert.Matches(@"^close\(\d+\) = 0$", trace[2]);
    }

    [Fact]
    public async Task AUnixEndpointIsRejected()
        => await Assert.ThrowsAsync<ArgumentException>(() => PortScanner.ScanAsync(EndpointSpec.Unix("/tmp/x"), [80]));

    private static EndpointSpec Host(AddressFamily family)
        => EndpointSpec.Ip(Listeners.Loopback(family).ToString(), 0);
}
