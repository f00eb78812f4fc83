using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sockit.Access;
using Sockit.Endpoints;
using Sockit.Hosting;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Echo;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Access;

/// <summary>The public API in process: a policy on <see cref="HostOptions"/> and <see cref="DatagramServerOptions"/>, applied by the shared accept and receive loops.</summary>
public sealed class LibraryAccessTests
{
    [Fact]
    public async Task StreamHostOnDualStackRefusesTheMappedClientAndTellsWhoAndWhy()
    {
        AccessPolicy policy = await new AccessPolicyBuilder().Deny("127.0.0.1").BuildAsync();
        var refused = new ConcurrentQueue<(EndPoint Peer, AccessDecision Decision)>();
        var lines = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        await using var host = StreamHost.Start(new HostOptions
        {
            Endpoint = EndpointSpec.Ip(null, 0),
            Access = policy,
            OnRefused = (peer, decision) => refused.Enqueue((peer, decision)),
            Log = lines.Enqueue,
        }, EchoHandler.Create(lines.Enqueue));
        Task serving = host.RunAsync(stop.Token);

        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", host.Port, "not for you\n"));
        Assert.Equal("for you\n", await AccessClient.ExchangeAsync("127.0.0.2", "127.0.0.1", host.Port, "for you\n"));
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);

        (EndPoint peer, AccessDecision decision) = Assert.Single(refused);
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1"), ((IPEndPoint)peer).Address);
        Assert.Equal("--deny 127.0.0.1", decision.Rule!.ToString());
        Assert.Single(lines, l => l.StartsWith("RECEIVED CONNECTION FROM", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutOnRefusedTheHostLogsTheRefusal()
    {
        var lines = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        await using var host = StreamHost.Start(new HostOptions
        {
            Endpoint = EndpointSpec.Ip("127.0.0.1", 0),
            Access = await new AccessPolicyBuilder().Allow("127.0.0.2").BuildAsync(),
            Log = lines.Enqueue,
        }, EchoHandler.Create(lines.Enqueue));
        Task serving = host.RunAsync(stop.Token);
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", host.Port, "x"));
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);
        Assert.Single(lines, l => l.StartsWith("Connection from 127.0.0.1:", StringComparison.Ordinal) && l.EndsWith(" refused: not in the allow list (--allow/--allowfile)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DatagramServerNeverHandsARefusedDatagramToItsHandler()
    {
        var handled = new ConcurrentQueue<EndPoint>();
        var refused = new ConcurrentQueue<EndPoint>();
        await using var server = DatagramServer.Bind(EndpointSpec.Ip(null, 0), new DatagramServerOptions
        {
            Access = await new AccessPolicyBuilder().Deny("127.0.0.0/31").BuildAsync(),
            OnRefused = (peer, _) => refused.Enqueue(peer),
        });
        using var stop = new CancellationTokenSource();
        using var answered = new SemaphoreSlim(0);
        Task serving = server.RunAsync((datagram, _) =>
        {
            handled.Enqueue(datagram.RemoteEndPoint);
            answered.Release();
            return ValueTask.CompletedTask;
        }, stop.Token);

        using var denied = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 0));
        using var allowed = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await denied.SendAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Loopback, server.Port));
        await allowed.SendAsync(new byte[] { 2 }, new IPEndPoint(IPAddress.Loopback, server.Port));
        Assert.True(await answered.WaitAsync(RunningProcess.DefaultWait));
        await stop.CancelAsync();
        await serving.WaitAsync(RunningProcess.DefaultWait);

        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.2"), ((IPEndPoint)Assert.Single(handled)).Address);
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1"), ((IPEndPoint)Assert.Single(refused)).Address);
    }

    [Fact]
    public async Task AUnixListenerRefusesARestrictivePolicy()
    {
        using var dir = new TempDir();
        AccessPolicy policy = await new AccessPolicyBuilder().Deny("127.0.0.1").BuildAsync();
        var e = Assert.Throws<ArgumentException>(() => StreamServer.Listen(EndpointSpec.Unix(dir.File("s.sock")), new StreamServerOptions { Access = policy }));
        Assert.StartsWith(AccessPolicy.UnixRefusal, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("s.sock")));
        await using var open = StreamServer.Listen(EndpointSpec.Unix(dir.File("s.sock")), new StreamServerOptions { Access = AccessPolicy.Open });
    }
}
