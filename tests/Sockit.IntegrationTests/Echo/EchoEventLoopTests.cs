using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Echo;

namespace Sockit.IntegrationTests.Echo;

/// <summary>
/// The echo server on the Linux event loop (<c>EchoLoopProtocol</c>) against its portable path (<see cref="EchoHandler"/>
/// on the thread pool): the same bytes back and the same log lines, backpressure through a stalled reader, the
/// connection cap, and no allocation per echoed message.
/// </summary>
public sealed partial class EchoEventLoopTests
{
    public static TheoryData<string> Endings => ["turns then half-close", "half-close at once", "reset mid-stream", "idle"];

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task EventLoopEchoesAndLogsAsThePortablePathDoes(string ending)
    {
        (byte[] back, List<string> lines) portable = await ExchangeAsync(ending, portable: true);
        (byte[] back, List<string> lines) loop = await ExchangeAsync(ending, portable: false);

        Assert.Equal(portable.back, loop.back);
        Assert.True(portable.lines.Count >= 4, string.Join("\n", portable.lines)); // listening, received, how it ended, stopped
        Assert.Equal(portable.lines, loop.lines);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SixtyFourMebibytesComeBackWholeThroughAStalledReader(bool portable)
    {
        // The client sends 64 MiB but reads nothing for the first half second: the server's sends fill both socket
        // buffers and find no room (EAGAIN), it must keep the unsent rest and stop reading until there is room.
        const int Total = 64 << 20;
        var lines = new List<string>();
        await using var host = Start(portable, lines, idleTimeout: null);
        using var stop = new CancellationTokenSource();
        Task serving = host.RunAsync(stop.Token);
        AssertServedBy(host, portable);
        var (sent, received, length) = await Task.Run(() =>
        {
            using Socket client = Connect(host.Port);
            Task<byte[]> sending = Task.Run(() =>
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                byte[] chunk = new byte[256 * 1024];
                var random = new Random(13);
                for (int done = 0; done < Total; done += chunk.Length)
                {
                    random.NextBytes(chunk);
                    hash.AppendData(chunk);
                    client.Send(chunk);
                }
                client.Shutdown(SocketShutdown.Send);
                return hash.GetHashAndReset();
            });
            Thread.Sleep(500);
            using var back = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[64 * 1024];
            long count = 0;
            int n;
            while ((n = client.Receive(buffer)) > 0)
            {
                back.AppendData(buffer, 0, n);
                count += n;
            }
            return (sending.GetAwaiter().GetResult(), back.GetHashAndReset(), count);
        });
        await WaitForLineAsync(lines, "ECHOED ");
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);

        Assert.Equal(Total, length);
        Assert.Equal(Convert.ToHexString(sent), Convert.ToHexString(received));
        lock (lines) Assert.Contains($"ECHOED {Total} BYTES TO 127.0.0.1:PORT", lines);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManyConnectionsAtOnceAreEachEchoedAndLogged(bool portable)
    {
        const int Clients = 200;
        var lines = new List<string>();
        await using var host = Start(portable, lines, idleTimeout: null);
        using var stop = new CancellationTokenSource();
        Task serving = host.RunAsync(stop.Token);
        AssertServedBy(host, portable);
        // Asynchronous clients: 200 blocking ones would starve the thread pool the portable server runs on.
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async i =>
        {
            using Socket s = Connect(host.Port);
            byte[] word = System.Text.Encoding.ASCII.GetBytes($"client {i:000}\n");
            byte[] back = new byte[word.Length];
            for (int turn = 0; turn < 5; turn++)
            {
                await s.SendAsync(word);
                int got = 0;
                while (got < back.Length)
                {
                    int n = await s.ReceiveAsync(back.AsMemory(got));
                    Assert.NotEqual(0, n);
                    got += n;
                }
                Assert.Equal(word, back);
            }
            s.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await s.ReceiveAsync(new byte[1]));
        })).WaitAsync(TimeSpan.FromSeconds(60));
        await WaitForLineCountAsync(lines, "ECHOED ", Clients);
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        lock (lines)
        {
            Assert.Equal(Clients, lines.Count(l => l == "RECEIVED CONNECTION FROM 127.0.0.1:PORT"));
            Assert.Equal(Clients, lines.Count(l => l == "ECHOED 55 BYTES TO 127.0.0.1:PORT"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientPastTheCapWaitsUntilASlotFrees(bool portable)
    {
        var lines = new List<string>();
        await using var host = StreamHost.Start(Options(portable, lines) with { MaxConnections = 1 }, EchoHandler.Create(line => Add(lines, line)));
        using var stop = new CancellationTokenSource();
        Task serving = host.RunAsync(stop.Token);
        AssertServedBy(host, portable);
        await Task.Run(() =>
        {
            using Socket first = Connect(host.Port);
            first.Send("one"u8);
            Assert.Equal("one"u8.ToArray(), ReadExactly(first, 3));
            using Socket second = Connect(host.Port); // completes in the kernel's queue: not accepted yet
            second.Send("two"u8);
            second.ReceiveTimeout = 300;
            Assert.Throws<SocketException>(() => second.Receive(new byte[3]));
            second.ReceiveTimeout = 20_000;
            first.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, first.Receive(new byte[1]));
            Assert.Equal("two"u8.ToArray(), ReadExactly(second, 3));
        });
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
    }

    [Fact]
    public async Task EventLoopAllocatesAtMost64BytesPerEchoedMessage()
    {
        if (!OperatingSystem.IsLinux()) return; // the event loop is the Linux path; elsewhere the portable one serves
        (double perMessage, _) = await AllocatedAsync(log: null);
        Assert.True(perMessage <= 64, $"{perMessage:0.0} bytes allocated per echoed message on the server's loop (bound: 64)");
    }

    [Fact]
    public async Task EchoAllocationFigureCountsWhatTheLoopAllocates()
    {
        // The bound above is only worth something if the figure moves: with a log, every connection formats its lines.
        if (!OperatingSystem.IsLinux()) return;
        (_, double perConnection) = await AllocatedAsync(log: _ => { });
        Assert.True(perConnection > 100, $"{perConnection:0.0} bytes per connection with its log lines");
    }

    // Ping-pong of 64-byte messages over a few connections; returns bytes allocated on the loop per message and per connection.
    private static async Task<(double PerMessage, double PerConnection)> AllocatedAsync(Action<string>? log)
    {
        using var stop = new CancellationTokenSource();
        await using var host = StreamHost.Start(new HostOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Backlog = 128, Log = log }, EchoHandler.Create(log));
        Task serving = host.RunAsync(stop.Token);
        await Task.Run(() => PingPong(host.Port, connections: 10, messages: 100)); // warm-up: the pool of states, the descriptor table
        long before = await LoopAllocation.SettledAsync(() => host.LoopAllocatedBytes);
        const int Connections = 20, Messages = 250;
        await Task.Run(() => PingPong(host.Port, Connections, Messages));
        long after = await LoopAllocation.SettledAsync(() => host.LoopAllocatedBytes);
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        return ((after - before) / (double)(Connections * Messages), (after - before) / (double)Connections);
    }

    private static void PingPong(int port, int connections, int messages)
    {
        byte[] message = new byte[64];
        Random.Shared.NextBytes(message);
        for (int c = 0; c < connections; c++)
        {
            using Socket client = Connect(port);
            for (int i = 0; i < messages; i++)
            {
                client.Send(message);
                Assert.Equal(message, ReadExactly(client, message.Length));
            }
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, client.Receive(new byte[1]));
        }
    }

    private static async Task<(byte[] Back, List<string> Lines)> ExchangeAsync(string ending, bool portable, TimeSpan? busyPoll = null)
    {
        var lines = new List<string>();
        await using var host = StreamHost.Start(
            Options(portable, lines) with { BusyPoll = busyPoll },
            EchoHandler.Create(line => Add(lines, line), ending == "idle" ? TimeSpan.FromMilliseconds(300) : null));
        using var stop = new CancellationTokenSource();
        Task serving = host.RunAsync(stop.Token);
        AssertServedBy(host, portable);
        byte[] back = await Task.Run(() =>
        {
            using Socket client = Connect(host.Port);
            var received = new MemoryStream();
            switch (ending)
            {
                case "turns then half-close":
                    foreach (string word in new[] { "ping", "pong", "last" })
                    {
                        client.Send(System.Text.Encoding.ASCII.GetBytes(word));
                        received.Write(ReadExactly(client, word.Length));
                    }
                    client.Send("tail"u8);
                    client.Shutdown(SocketShutdown.Send);
                    break;
                case "half-close at once":
                    client.Send("all at once, then EOF"u8);
                    client.Shutdown(SocketShutdown.Send);
                    break;
                case "reset mid-stream":
                    client.Send("abc"u8);
                    received.Write(ReadExactly(client, 3));
                    client.LingerState = new LingerOption(true, 0); // close sends a reset
                    return received.ToArray();
                default:
                    client.Send("abc"u8);
                    break;
            }
            byte[] buffer = new byte[4096];
            int n;
            while ((n = client.Receive(buffer)) > 0) received.Write(buffer, 0, n);
            return received.ToArray();
        });
        await WaitForLineAsync(lines, ending == "reset mid-stream" ? "CONNECTION FROM " : "ECHOED ");
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        lock (lines) return (back, [.. lines]);
    }

    // The comparisons are only worth something if the two runs really took the two paths.
    private static void AssertServedBy(StreamHost host, bool portable)
        => Assert.Equal(!portable && OperatingSystem.IsLinux(), host.LoopAllocatedBytes is not null);

    private static StreamHost Start(bool portable, List<string> lines, TimeSpan? idleTimeout)
        => StreamHost.Start(Options(portable, lines), EchoHandler.Create(line => Add(lines, line), idleTimeout));

    private static HostOptions Options(bool portable, List<string> lines)
        => new() { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Backlog = 256, Log = line => Add(lines, line), Portable = portable };

    private static void Add(List<string> lines, string line)
    {
        lock (lines) lines.Add(Port().Replace(line, ":PORT"));
    }

    private static async Task WaitForLineAsync(List<string> lines, string prefix) => await WaitForLineCountAsync(lines, prefix, 1);

    private static async Task WaitForLineCountAsync(List<string> lines, string prefix, int count)
    {
        for (int i = 0; i < 200; i++)
        {
            lock (lines)
                if (lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal)) >= count) return;
            await Task.Delay(100);
        }
        lock (lines) throw new TimeoutException($"no {count} lines starting '{prefix}' in:\n{string.Join("\n", lines)}");
    }

    private static Socket Connect(int port)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20_000, SendTimeout = 60_000 };
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return client;
    }

    private static byte[] ReadExactly(Socket client, int length)
    {
        byte[] buffer = new byte[length];
        int got = 0;
        while (got < length)
        {
            int n = client.Receive(buffer, got, length - got, SocketFlags.None);
            if (n == 0) throw new EndOfStreamException($"EOF after {got} of {length} bytes");
            got += n;
        }
        return buffer;
    }

    [GeneratedRegex(@":\d+")]
    private static partial Regex Port();
}
