using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;
using Sockit.Security;

namespace Sockit.IntegrationTests.Tls;

/// <summary><c>sockit nc -lk --ssl</c>: many TLS clients at once, silent clients, and a thousand handshakes in a row.</summary>
public sealed partial class KeepOpenTlsTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task KeepOpenServesTwentyTlsClientsAtOnce()
    {
        var (listener, port, pin) = await ListenAsync();
        await using var _ = listener;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => ExchangeAsync(port, pin, $"client {i}\n")));
        string[] lines = await WaitForLinesAsync(20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"client {i}").Order(), lines.Order());
    }

    [Fact]
    public async Task FiveHundredSilentClientsDoNotDelayARealTlsClient()
    {
        var (listener, port, pin) = await ListenAsync();
        await using var _ = listener;
        await ExchangeAsync(port, pin, "warm-up\n"); // the first handshake of a process pays for JIT and OpenSSL's start
        var silent = new List<Socket>();
        try
        {
            for (int i = 0; i < 500; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                silent.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, port);
            }
            var clock = Stopwatch.StartNew();
            await ExchangeAsync(port, pin, "real client\n");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the exchange took {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(["warm-up", "real client"], await WaitForLinesAsync(2));
        }
        finally
        {
            foreach (var socket in silent) socket.Dispose();
        }
    }

    [Fact]
    public async Task ThousandHandshakesInARowLeakNoDescriptorOrMemory()
    {
        var (listener, port, pin) = await ListenAsync();
        await using var _ = listener;
        for (int i = 0; i < 50; i++) await ExchangeAsync(port, pin, "warm\n"); // JIT, pools and the GC settle first
        await WaitForLinesAsync(50);
        (int fdsBefore, long rssBefore) = Usage(listener.Id);
        // Bounded in time as a whole, not only per exchange: about 20 s on an idle machine.
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        for (int i = 0; i < 1000; i++) await ExchangeAsync(port, pin, "x\n", budget.Token);
        await WaitForLinesAsync(1050);
        (int fdsAfter, long rssAfter) = Usage(listener.Id);
        Assert.InRange(fdsAfter, 0, fdsBefore + 5);
        Assert.InRange(rssAfter - rssBefore, long.MinValue, 40L << 20);
    }

    [Fact]
    public async Task ClientsThatLeaveRightAfterTheirFinishedAreServedNotHandshakeErrors()
    {
        var (listener, port, _) = await ListenAsync();
        await using var _ = listener;
        // openssl s_time -new: a full handshake per connection and an immediate close, so the server's TLS 1.3
        // session tickets mostly meet a reset. Each of those clients completed its handshake: no error line.
        int handshakes;
        await using (var client = RunningProcess.Start(Peers.Require("openssl"), "s_time", "-connect", $"127.0.0.1:{port}", "-new", "-time", "2"))
        {
            Assert.Equal(0, await client.WaitForExitAsync());
            string summary = client.StdoutLines.First(l => l.Contains("real seconds", StringComparison.Ordinal));
            handshakes = int.Parse(summary.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        Assert.InRange(handshakes, 1, int.MaxValue);
        var deadline = DateTime.UtcNow + RunningProcess.DefaultWait;
        while (listener.StdoutLines.Count(l => l.StartsWith("TLS from ", StringComparison.Ordinal)) < handshakes && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.DoesNotContain(listener.StdoutLines, l => l.Contains("[TLS error]", StringComparison.Ordinal));
        Assert.Equal(handshakes, listener.StdoutLines.Count(l => l.StartsWith("TLS from ", StringComparison.Ordinal)));
    }

    public void Dispose() => _dir.Dispose();

    private async Task<(RunningProcess Listener, int Port, CertificatePin Pin)> ListenAsync()
    {
        // stdin never ends (an EOF there would half-close every client at once); stdout to a file.
        var listener = RunningProcess.Start("/bin/bash", "-c",
            $"exec {Shell.Sockit} nc -lk -v --ssl 127.0.0.1 0 < <(sleep 300 2>/dev/null) 2>&1 > {Shell.Quote(_dir.File("out"))}");
        string pinLine = await listener.WaitForLineAsync(l => l.StartsWith("TLS: throwaway", StringComparison.Ordinal));
        int port = await NcTlsTests.PortAsync(listener);
        return (listener, port, CertificatePin.Parse(PinIn().Match(pinLine).Value));
    }

    private static async Task ExchangeAsync(int port, CertificatePin pin, string line, CancellationToken budget = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, budget);
        await using var tls = await TlsLayer.ConnectAsync(TlsPair.Wrap(socket), "127.0.0.1", new TlsClientOptions { Pin = pin }, budget);
        await tls.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line), budget);
        await tls.CompleteWritesAsync();
        // The listener has nothing to send (its stdin is open and silent) and closes at our EOF.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(budget);
        deadline.CancelAfter(RunningProcess.DefaultWait);
        Assert.Equal(0, await tls.ReadAsync(new byte[64], deadline.Token));
    }

    private async Task<string[]> WaitForLinesAsync(int count)
    {
        var deadline = DateTime.UtcNow + RunningProcess.DefaultWait;
        string[] lines = [];
        while (DateTime.UtcNow < deadline)
        {
            lines = (await File.ReadAllLinesAsync(_dir.File("out"))).Where(l => l.Length > 0).ToArray();
            if (lines.Length >= count) return lines;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"{lines.Length} of {count} lines arrived");
    }

    private static (int Descriptors, long RssBytes) Usage(int pid)
    {
        int fds = Directory.GetFiles($"/proc/{pid}/fd").Length;
        string rss = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        long kib = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (fds, kib * 1024);
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex PinIn();
}
