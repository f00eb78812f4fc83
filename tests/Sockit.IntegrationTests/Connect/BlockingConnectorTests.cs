using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Connect;

/// <summary>
/// <see cref="BlockingConnector"/> (the one-shot clients' connector) races a name's addresses as
/// <see cref="StreamConnector"/> does (see <see cref="HappyEyeballsTests"/>), with blocking connects bounded by
/// SO_SNDTIMEO: a silent first address costs one attempt delay, an attempt left in progress can still win, and the
/// timeout and the last error are the asynchronous connector's.
/// </summary>
public sealed class BlockingConnectorTests
{
    [Fact]
    public async Task NameWithSilentIPv6FirstConnectsOverIPv4AfterOneAttemptDelay()
    {
        using Socket live = Listen(IPAddress.Loopback);
        int port = ((IPEndPoint)live.LocalEndPoint!).Port;
        using SilentAddress silent = await SilentAddress.OpenAsync(IPAddress.IPv6Loopback, port);

        var clock = Stopwatch.StartNew();
        using Socket connected = Connect("dual.test", port, TimeSpan.FromSeconds(20), IPAddress.IPv6Loopback, IPAddress.Loopback);
        TimeSpan took = clock.Elapsed;

        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)connected.RemoteEndPoint!).Address);
        // One attempt delay (250 ms) and scheduling; connecting one address after the other would wait out the 20 s.
        Assert.InRange(took, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        Assert.True(connected.Blocking);
    }

    [Fact]
    public void IPv4FirstInResolverOrderStillTriesIPv6First()
    {
        using Socket live6 = Listen(IPAddress.IPv6Loopback);
        int port = ((IPEndPoint)live6.LocalEndPoint!).Port;
        using Socket live4 = Listen(IPAddress.Loopback, port);

        using Socket connected = Connect("dual.test", port, TimeSpan.FromSeconds(20), IPAddress.Loopback, IPAddress.IPv6Loopback);

        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)connected.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task AttemptLeftInProgressWinsWhenItConnectsLater()
    {
        // [::1] is silent for its first SYN, 127.0.0.1 refuses: the race waits on the IPv6 attempt, which gets in with
        // its SYN retransmission once the listener answers again.
        int port = Infrastructure.FreePort.Tcp();
        using SilentAddress silent = await SilentAddress.OpenAsync(IPAddress.IPv6Loopback, port);
        var connecting = Task.Run(() => Connect("dual.test", port, TimeSpan.FromSeconds(20), IPAddress.IPv6Loopback, IPAddress.Loopback));
        await Task.Delay(400);
        Assert.False(connecting.IsCompleted);
        silent.StartAnswering();

        using Socket connected = await connecting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, connected.Send([1]));
    }

    [Fact]
    public async Task EveryAddressSilentEndsWithTimeoutNamingTheTarget()
    {
        using SilentAddress silent = await SilentAddress.OpenAsync(IPAddress.Loopback);

        var error = Assert.Throws<TimeoutException>(() => Connect("127.0.0.1", silent.EndPoint.Port, TimeSpan.FromMilliseconds(800)));

        Assert.Equal($"no answer from 127.0.0.1:{silent.EndPoint.Port} within 0.8 s", error.Message);
    }

    [Fact]
    public void EveryAddressRefusedThrowsTheConnectError()
    {
        int port = Infrastructure.FreePort.Tcp();

        var error = Assert.Throws<SocketException>(() => Connect("dual.test", port, null, IPAddress.IPv6Loopback, IPAddress.Loopback));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal("connect", Diagnostics.ErrorText.FailedCall(error));
    }

    private static Socket Connect(string host, int port, TimeSpan? timeout, params IPAddress[] resolved)
    {
        var options = new ConnectOptions
        {
            Timeout = timeout,
            Resolver = resolved.Length == 0 ? null : (_, _, _) => Task.FromResult(resolved),
        };
        return BlockingConnector.Connect(EndpointSpec.Ip(host, port), options, SocketCalls.Untraced);
    }

    private static Socket Listen(IPAddress address, int port = 0) => HappyEyeballsTests.Listen(address, port);
}
