using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Endpoints;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Datagrams;

/// <summary>The library's <see cref="DatagramServer"/> in process, over real loopback sockets.</summary>
public sealed class DatagramServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(DatagramTransport.All), MemberType = typeof(DatagramTransport))]
    public async Task AHandlerStuckOnOnePeerDelaysNoOtherPeer(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = DatagramServer.Bind(Endpoint(transport, dir));
        using var stop = new CancellationTokenSource();
        Task running = server.RunAsync(async (datagram, abort) =>
        {
            if (datagram.Data.Span.SequenceEqual("slow"u8))
            {
                stuck.SetResult();
                await release.Task.WaitAsync(abort);
            }
            await datagram.ReplyAsync("answered"u8.ToArray(), abort);
        }, stop.Token);

        using Socket slow = Client(transport, dir, "slow"), fast = Client(transport, dir, "fast");
        await slow.SendToAsync("slow"u8.ToArray(), SocketFlags.None, server.LocalEndPoint);
        await stuck.Task.WaitAsync(Wait);

        await fast.SendToAsync("fast"u8.ToArray(), SocketFlags.None, server.LocalEndPoint);
        Assert.Equal("answered", await ReceiveTextAsync(fast));
        Assert.Equal(0, slow.Available); // its handler is still held: no answer for it yet

        release.SetResult();
        Assert.Equal("answered", await ReceiveTextAsync(slow));
        await stop.CancelAsync();
        await running.WaitAsync(Wait);
    }

    [Theory]
    [InlineData(65536, false)]
    [InlineData(65537, true)]
    [InlineData(100_000, true)]
    public async Task AUnixDatagramLongerThanTheLimitIsMarkedTruncated(int size, bool truncated)
    {
        using var dir = new TempDir();
        var seen = new TaskCompletionSource<(int Length, bool Truncated)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = DatagramServer.Bind(Endpoint(DatagramTransport.Unix, dir));
        using var stop = new CancellationTokenSource();
        Task running = server.RunAsync((datagram, _) =>
        {
            seen.TrySetResult((datagram.Data.Length, datagram.Truncated));
            return ValueTask.CompletedTask;
        }, stop.Token);

        using Socket client = Client(DatagramTransport.Unix, dir, "big");
        client.SendBufferSize = 4 * size;
        await client.SendToAsync(new byte[size], SocketFlags.None, server.LocalEndPoint);

        var (length, wasTruncated) = await seen.Task.WaitAsync(Wait);
        Assert.Equal(Math.Min(size, 65536), length);
        Assert.Equal(truncated, wasTruncated);
        await stop.CancelAsync();
        await running.WaitAsync(Wait);
    }

    [Fact]
    public async Task AHandlerStillAnsweringWhenStopComesGetsItsAnswerOut()
    {
        using var dir = new TempDir();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = DatagramServer.Bind(Endpoint(DatagramTransport.Udp4, dir), new DatagramServerOptions { ShutdownGrace = Wait });
        using var stop = new CancellationTokenSource();
        Task running = server.RunAsync(async (datagram, abort) =>
        {
            started.SetResult();
            await release.Task.WaitAsync(abort);
            await datagram.ReplyAsync("late but here"u8.ToArray(), abort);
        }, stop.Token);

        using Socket client = Client(DatagramTransport.Udp4, dir, "client");
        await client.SendToAsync("hello"u8.ToArray(), SocketFlags.None, server.LocalEndPoint);
        await started.Task.WaitAsync(Wait);
        await stop.CancelAsync();
        Assert.False(running.IsCompleted);

        release.SetResult();
        Assert.Equal("late but here", await ReceiveTextAsync(client));
        await running.WaitAsync(Wait);
    }

    [Theory]
    [MemberData(nameof(DatagramTransport.All), MemberType = typeof(DatagramTransport))]
    public async Task DatagramsPastTheInFlightCapAreDroppedCountedAndToldOnce(string transportName)
    {
        const int Cap = 2, Sent = 12;
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var told = new List<long>();
        await using var server = DatagramServer.Bind(Endpoint(transport, dir), new DatagramServerOptions
        {
            MaxInFlight = Cap,
            OnDropped = n => { lock (told) told.Add(n); },
        });
        using var stop = new CancellationTokenSource();
        Task running = server.RunAsync(async (datagram, abort) =>
        {
            if (datagram.Data.Span.SequenceEqual("slow"u8)) await release.Task.WaitAsync(abort);
            await datagram.ReplyAsync(datagram.Data, abort);
        }, stop.Token);

        using Socket client = Client(transport, dir, "client");
        for (int i = 0; i < Sent; i++)
            await client.SendToAsync("slow"u8.ToArray(), SocketFlags.None, server.LocalEndPoint);
        using (var deadline = new CancellationTokenSource(Wait))
        {
            while (server.Dropped < Sent - Cap) await Task.Delay(10, deadline.Token);
        }
        Assert.Equal(Cap, server.InFlight);

        release.SetResult();
        for (int i = 0; i < Cap; i++) Assert.Equal("slow", await ReceiveTextAsync(client));
        using (var deadline = new CancellationTokenSource(Wait))
        {
            while (server.InFlight > 0) await Task.Delay(10, deadline.Token);
        }
        await client.SendToAsync("fast"u8.ToArray(), SocketFlags.None, server.LocalEndPoint);
        Assert.Equal("fast", await ReceiveTextAsync(client));
        await stop.CancelAsync();
        await running.WaitAsync(Wait);

        Assert.Equal(Sent - Cap, server.Dropped);
        lock (told) Assert.Equal(Sent - Cap, told.Sum());
        Assert.True(told.Count <= 2, $"told {told.Count} times"); // once a second at most: not per datagram
    }

    [Fact]
    public async Task StoppingEndsTheReceiveLoopAndRemovesTheUnixSocketFile()
    {
        using var dir = new TempDir();
        await using var server = DatagramServer.Bind(Endpoint(DatagramTransport.Unix, dir));
        Assert.True(File.Exists(dir.File("server.sock")));
        using var stop = new CancellationTokenSource();
        Task running = server.RunAsync((_, _) => ValueTask.CompletedTask, stop.Token);
        await stop.CancelAsync();
        await running.WaitAsync(Wait);
        Assert.False(File.Exists(dir.File("server.sock")));
    }

    private static EndpointSpec Endpoint(DatagramTransport transport, TempDir dir)
        => transport.IsUnix
            ? EndpointSpec.Unix(dir.File("server.sock"), SocketType.Dgram)
            : EndpointSpec.Ip(transport.Loopback, 0, SocketType.Dgram);

    private static Socket Client(DatagramTransport transport, TempDir dir, string name)
    {
        if (transport.IsUnix)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            unix.Bind(new UnixDomainSocketEndPoint(dir.File(name + ".sock")));
            return unix;
        }
        IPAddress loopback = IPAddress.Parse(transport.Loopback);
        var udp = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(loopback, 0));
        return udp;
    }

    private static async Task<string> ReceiveTextAsync(Socket socket)
    {
        var buffer = new byte[1024];
        using var deadline = new CancellationTokenSource(Wait);
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
