using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sockit.Relay;
using Sockit.Endpoints;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Connect;

/// <summary>
/// <see cref="StreamConnector"/> races a name's addresses (RFC 8305): a silent IPv6 address listed first costs one
/// attempt delay (250 ms), not the connect timeout. The name is resolved by a resolver of the test's own, so no
/// global /etc/hosts entry is needed; the silent address is a loopback listener with a full accept queue.
/// </summary>
public sealed class HappyEyeballsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task NameWithSilentIPv6FirstConnectsOverIPv4AfterOneAttemptDelay()
    {
        using Socket live = Listen(IPAddress.Loopback);
        int port = ((IPEndPoint)live.LocalEndPoint!).Port;
        using SilentAddress silent = await SilentAddress.OpenAsync(IPAddress.IPv6Loopback, port);
        await AssertSilentAsync(silent.EndPoint);

        var options = new ConnectOptions
        {
            Timeout = TimeSpan.FromSeconds(20),
            Resolver = (_, _, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback }),
        };
        var clock = Stopwatch.StartNew();
        await using DuplexEnd connection = await StreamConnector.ConnectAsync(EndpointSpec.Ip("dual.test", port), options).WaitAsync(Bound);
        TimeSpan took = clock.Elapsed;

        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)connection.RemoteEndPoint!).Address);
        // One attempt delay (250 ms) and scheduling; a one-after-another connector would wait out the 20 s timeout.
        Assert.InRange(took, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        using Socket accepted = await live.AcceptAsync().WaitAsync(Bound);
    }

    [Fact]
    public async Task IPv4FirstInResolverOrderStillTriesIPv6First()
    {
        // RFC 8305 section 4: IPv6 leads. A live IPv6 listener and a silent IPv4 one: IPv6 wins at once.
        using Socket live = Listen(IPAddress.IPv6Loopback);
        int port = ((IPEndPoint)live.LocalEndPoint!).Port;
        using SilentAddress silent = await SilentAddress.OpenAsync(IPAddress.Loopback, port);

        var options = new ConnectOptions
        {
            Timeout = TimeSpan.FromSeconds(20),
            Resolver = (_, _, _) => Task.FromResult(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }),
        };
        await using DuplexEnd connection = await StreamConnector.ConnectAsync(EndpointSpec.Ip("dual.test", port), options).WaitAsync(Bound);

        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)connection.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task RefusedFirstAddressFallsThroughToTheNext()
    {
        using Socket live = Listen(IPAddress.Loopback);
        int port = ((IPEndPoint)live.LocalEndPoint!).Port;
        // Nothing listens on [::1]:port (the IPv4 listener does not cover it): refused at once.
        var options = new ConnectOptions { Resolver = (_, _, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback }) };

        await using DuplexEnd connection = await StreamConnector.ConnectAsync(EndpointSpec.Ip("dual.test", port), options).WaitAsync(Bound);

        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)connection.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task EveryAddressSilentEndsWithTimeoutNamingTheTarget()
    {
        using SilentAddress silent = await SilentAddress.OpenAsync(IPAddress.Loopback);
        var options = new ConnectOptions { Timeout = TimeSpan.FromMilliseconds(800) };
        var target = EndpointSpec.Ip("127.0.0.1", silent.EndPoint.Port);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => StreamConnector.ConnectAsync(target, options).WaitAsync(Bound));

        Assert.Equal($"no answer from 127.0.0.1:{silent.EndPoint.Port} within 0.8 s", error.Message);
    }

    [Fact]
    public async Task EveryAddressRefusedThrowsTheConnectError()
    {
        int port = Infrastructure.FreePort.Tcp();
        var options = new ConnectOptions { Resolver = (_, _, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback }) };

        var error = await Assert.ThrowsAsync<SocketException>(() => StreamConnector.ConnectAsync(EndpointSpec.Ip("dual.test", port), options).WaitAsync(Bound));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    // A live listener on one address only (an IPv6 one does not take IPv4 clients).
    internal static Socket Listen(IPAddress address, int port = 0)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.AddressFamily == AddressFamily.InterNetworkV6) listener.DualMode = false;
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(16);
        return listener;
    }

    // Negative check: the silent address really does not answer within a second.
    private static async Task AssertSilentAsync(IPEndPoint address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.ConnectAsync(address, limit.Token).AsTask());
    }
}
