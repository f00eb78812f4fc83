using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Sockit.Endpoints;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Grumpy;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>
/// The grumpy server's Linux event loop (<c>GrumpyEventLoop</c>) against its portable path: the same bytes to the
/// client and the same log lines for every way a message can end, and no allocation per exchange.
/// </summary>
public sealed partial class GrumpyEventLoopTests
{
    private static readonly byte[] Hello = "Hello server, would you like to chat?\n"u8.ToArray();

    [Fact]
    public async Task EventLoopAllocatesAtMost64BytesPerExchange()
    {
        if (!OperatingSystem.IsLinux()) return; // the event loop is the Linux path; elsewhere the portable one serves
        double perExchange = await AllocatedPerExchangeAsync(log: null);
        Assert.True(perExchange <= 64, $"{perExchange:0.0} bytes allocated per exchange on the server's loop (bound: 64)");
    }

    [Fact]
    public async Task AllocationFigureCountsWhatTheLoopAllocates()
    {
        // The check above is only worth something if the figure moves: with a log, each exchange formats two lines.
        if (!OperatingSystem.IsLinux()) return;
        double perExchange = await AllocatedPerExchangeAsync(log: _ => { });
        Assert.True(perExchange > 100, $"{perExchange:0.0} bytes per exchange with two log lines each");
    }

    private static async Task<double> AllocatedPerExchangeAsync(Action<string>? log)
    {
        using var stop = new CancellationTokenSource();
        await using var server = GrumpyServer.Start(new GrumpyServerOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Backlog = 128, Log = log });
        Task serving = server.RunAsync(stop.Token);
        var endPoint = new IPEndPoint(IPAddress.Loopback, server.Port);

        await Task.Run(() => Exchanges(endPoint, 300)); // warm-up: the pool of connection states, the descriptor table
        long before = await LoopAllocation.SettledAsync(() => server.LoopAllocatedBytes);
        const int Count = 2000;
        await Task.Run(() => Exchanges(endPoint, Count));
        long after = await LoopAllocation.SettledAsync(() => server.LoopAllocatedBytes);

        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        return (after - before) / (double)Count;
    }

    public static TheoryData<string> Endings => ["newline and more", "half-close", "over the limit", "deadline", "idle"];

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task EventLoopAnswersAndLogsAsThePortablePathDoes(string ending)
    {
        (byte[] reply, List<string> lines) portable = await ExchangeAsync(ending, portable: true);
        (byte[] reply, List<string> lines) loop = await ExchangeAsync(ending, portable: false);

        Assert.Equal(Encoding.ASCII.GetBytes(GrumpyServerOptions.DefaultReply + "\n"), portable.reply);
        Assert.Equal(portable.reply, loop.reply);
        Assert.True(portable.lines.Count >= 4, string.Join("\n", portable.lines)); // listening, received, what was said, stopped
        Assert.Equal(portable.lines, loop.lines);
    }

    [Fact]
    public async Task EventLoopSendsAReplyLargerThanTheSendBufferWhole()
    {
        // 8 MiB cannot go in one send: the loop has to wait for room (EPOLLOUT) and carry on where it stopped.
        string reply = string.Create(8 << 20, 0, static (chars, _) =>
        {
            for (int i = 0; i < chars.Length; i++) chars[i] = (char)('a' + i % 26);
        });
        using var stop = new CancellationTokenSource();
        await using var server = GrumpyServer.Start(new GrumpyServerOptions { Endpoint = EndpointSpec.Ip("127.0.0.1", 0), Reply = reply });
        Task serving = server.RunAsync(stop.Token);
        byte[] received = await Task.Run(() =>
        {
            using Socket client = Connect(new IPEndPoint(IPAddress.Loopback, server.Port));
            client.ReceiveBufferSize = 4096;
            client.Send(Hello);
            Thread.Sleep(200); // the server fills both socket buffers and waits
            return ReadToEnd(client);
        });
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        Assert.Equal(reply.Length + 1, received.Length);
        Assert.True(Encoding.ASCII.GetBytes(reply + "\n").AsSpan().SequenceEqual(received), "the reply arrived changed");
    }

    private static async Task<(byte[] Reply, List<string> Lines)> ExchangeAsync(string ending, bool portable)
    {
        var lines = new List<string>();
        using var stop = new CancellationTokenSource();
        await using var server = GrumpyServer.Start(new GrumpyServerOptions
        {
            Endpoint = EndpointSpec.Ip("127.0.0.1", 0),
            MaxMessageBytes = 16,
            MessageTimeout = TimeSpan.FromMilliseconds(ending == "deadline" ? 300 : 20_000),
            IdleTimeout = ending == "idle" ? TimeSpan.FromMilliseconds(300) : null,
            Log = line => { lock (lines) lines.Add(Port().Replace(line, ":PORT")); },
            Portable = portable,
        });
        Task serving = server.RunAsync(stop.Token);
        byte[] reply = await Task.Run(() =>
        {
            using var client = Connect(new IPEndPoint(IPAddress.Loopback, server.Port));
            switch (ending)
            {
                case "newline and more": client.Send("short\nand more"u8); client.Shutdown(SocketShutdown.Send); break;
                case "half-close": client.Send("no newline"u8); client.Shutdown(SocketShutdown.Send); break;
                case "over the limit": client.Send("forty bytes that never end in a newline!"u8); break;
                case "deadline": break;
                default: client.Send("abc"u8); break;
            }
            return ReadToEnd(client);
        });
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        lock (lines) return (reply, [.. lines]);
    }

    private static void Exchanges(IPEndPoint server, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using Socket client = Connect(server);
            client.Send(Hello);
            Assert.NotEmpty(ReadToEnd(client));
        }
    }

    private static Socket Connect(IPEndPoint server)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20_000, SendTimeout = 20_000 };
        client.Connect(server);
        return client;
    }

    private static byte[] ReadToEnd(Socket client)
    {
        var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = client.Receive(buffer)) > 0) received.Write(buffer, 0, n);
        return received.ToArray();
    }

    [GeneratedRegex(@":\d+")]
    private static partial Regex Port();
}
