using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Trace;

/// <summary>
/// <c>--trace</c> prints the Berkeley calls the process really makes, in order, on stderr; without it stderr
/// stays empty.
/// </summary>
public sealed class SocketTraceTests
{
    private const int SigInt = 2;

    [Fact]
    public async Task ServeTraceShowsTheSeedsCallSequenceOnDualStack()
    {
        string trace = await ServeOneClientAsync([]);
        TraceLines.AssertInOrder(trace,
            @"socket\(AF_INET6, SOCK_STREAM, 0\) = (?<L>\d+)",
            @"setsockopt\({L}, IPPROTO_IPV6, IPV6_V6ONLY, 0\) = 0",
            @"setsockopt\({L}, SOL_SOCKET, SO_REUSEADDR, 1\) = 0",
            @"bind\({L}, \[::\]:0\) = 0",
            @"listen\({L}, 5\) = 0",
            @"accept\({L}\) = (?<C>\d+) \(127\.0\.0\.1:\d+\)",
            @"recv\({C}, 65536\) = 38",
            @"send\({C}, 61\) = 61",
            @"shutdown\({C}, SHUT_WR\) = 0",
            @"close\({C}\) = 0",
            @"accept\({L}\) = -1 ECANCELED",
            @"close\({L}\) = 0");
    }

    [Fact]
    public async Task ServeTraceWithIPv4OnlyBindsAnInetSocket()
    {
        string trace = await ServeOneClientAsync(["-4"]);
        TraceLines.AssertInOrder(trace,
            @"socket\(AF_INET, SOCK_STREAM, 0\) = (?<L>\d+)",
            @"setsockopt\({L}, SOL_SOCKET, SO_REUSEADDR, 1\) = 0",
            @"bind\({L}, 0\.0\.0\.0:0\) = 0",
            @"listen\({L}, 5\) = 0",
            @"accept\({L}\) = (?<C>\d+) \(127\.0\.0\.1:\d+\)",
            @"recv\({C}, 65536\) = 38",
            @"send\({C}, 61\) = 61",
            @"shutdown\({C}, SHUT_WR\) = 0",
            @"close\({C}\) = 0");
        Assert.DoesNotContain("IPV6_V6ONLY", trace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectTraceResolvesTheNameThenConnectsSendsReceivesCloses()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var client = RunningProcess.Sockit("connect", "localhost", server.Port.ToString(), "--trace");
        Assert.Equal(0, await client.WaitForExitAsync());
        TraceLines.AssertInOrder(client.Stderr,
            @"getaddrinfo\(""localhost"", AF_UNSPEC\) = .+",
            @"socket\(AF_INET6?, SOCK_STREAM, 0\) = (?<S>\d+)",
            $@"connect\({{S}}, (127\.0\.0\.1|\[::1\]):{server.Port}\) = 0",
            @"send\({S}, 38\) = 38",
            @"recv\({S}, 65536\) = 61",
            @"close\({S}\) = 0");
    }

    [Fact]
    public async Task ConnectTraceToAnAddressMakesNoLookup()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", server.Port.ToString(), "--trace");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.DoesNotContain("getaddrinfo", client.Stderr, StringComparison.Ordinal);
        TraceLines.AssertInOrder(client.Stderr,
            @"socket\(AF_INET, SOCK_STREAM, 0\) = (?<S>\d+)",
            $@"connect\({{S}}, 127\.0\.0\.1:{server.Port}\) = 0");
    }

    [Fact]
    public async Task RefusedConnectShowsTheErrnoThenTheClose()
    {
        int port = FreePort.Closed();
        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", port.ToString(), "--trace");
        Assert.Equal(1, await client.WaitForExitAsync());
        TraceLines.AssertInOrder(client.Stderr,
            @"socket\(AF_INET, SOCK_STREAM, 0\) = (?<S>\d+)",
            $@"connect\({{S}}, 127\.0\.0\.1:{port}\) = -1 ECONNREFUSED",
            @"close\({S}\) = 0",
            @"\[Client connect error\]: Connection refused");
    }

    [Fact]
    public async Task UnresolvableNameShowsTheResolverError()
    {
        await using var client = RunningProcess.Sockit("connect", "nosuch.invalid", "10001", "--trace");
        Assert.Equal(1, await client.WaitForExitAsync());
        TraceLines.AssertInOrder(client.Stderr,
            @"getaddrinfo\(""nosuch\.invalid"", AF_UNSPEC\) = EAI_\w+",
            @"\[Client resolve error\]: .+");
        Assert.DoesNotContain("socket(", client.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTraceNothingReachesStderr()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var client = RunningProcess.Sockit("connect", "localhost", server.Port.ToString());
        Assert.Equal(0, await client.WaitForExitAsync());
        await server.Process.WaitForLineAsync(l => l.EndsWith(" said: Hello server, would you like to chat?", StringComparison.Ordinal));
        server.Process.Signal(SigInt);
        Assert.Equal(0, await server.Process.WaitForExitAsync());
        Assert.Equal("", client.Stderr);
        Assert.Equal("", server.Process.Stderr);
    }

    /// <summary>Runs <c>sockit serve 0 --trace</c>, lets one client through, stops it with Ctrl-C; returns its trace.</summary>
    private static async Task<string> ServeOneClientAsync(string[] extra)
    {
        await using var server = await ServerProcess.StartAsync(["--trace", .. extra]);
        await using (var client = RunningProcess.Sockit("connect", "127.0.0.1", server.Port.ToString()))
            Assert.Equal(0, await client.WaitForExitAsync());
        await server.Process.WaitForLineAsync("127.0.0.1 said: Hello server, would you like to chat?");
        server.Process.Signal(SigInt);
        Assert.Equal(0, await server.Process.WaitForExitAsync());
        return server.Process.Stderr;
    }
}
