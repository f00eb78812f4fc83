using Sockit.IntegrationTests.Infrastructure;
using static Sockit.IntegrationTests.Proxies.ProxyPeers;

namespace Sockit.IntegrationTests.Proxies;

/// <summary>
/// <c>sockit nc --proxy</c> through real proxies (ncat's HTTP proxy, dante's SOCKS4/5, our own) to an echo server;
/// refusals, wrong passwords and unreachable proxies are one line and exit 1.
/// </summary>
public sealed class ProxyClientTests
{
    private const string Message = "hello through a proxy\n";

    private static void AssertEchoed((int Exit, string Stdout, string Stderr) run)
    {
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Equal(Message.TrimEnd('\n'), run.Stdout);
    }

    /// <summary>
    /// Sends the message and closes stdin only once the echo is back: ncat's proxy closes both ways at the client's
    /// half-close, so an echo still on its way would be lost there (not here).
    /// </summary>
    private static async Task EchoedBeforeEofAsync(params string[] args)
    {
        await using var client = RunningProcess.Sockit(args);
        await client.Input.WriteAsync(Message);
        await client.Input.FlushAsync();
        await client.WaitForLineAsync(Message.TrimEnd('\n'));
        client.Input.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task NcReachesTheEchoServerThroughNcatsHttpProxy()
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess ncat, int port) = await NcatHttpProxyAsync();
        await using var _ = ncat;
        await EchoedBeforeEofAsync("nc", "--proxy", $"127.0.0.1:{port}", "--proxy-type", "http", "localhost", Port(echo.Port));
        await EchoedBeforeEofAsync("nc", "-X", "connect", "-x", $"127.0.0.1:{port}", "127.0.0.1", Port(echo.Port));
    }

    [Fact]
    public async Task ProxyOptionOnATcpAddressReachesTheEchoServerThroughNcatsHttpProxy()
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess ncat, int port) = await NcatHttpProxyAsync();
        await using var _ = ncat;
        await EchoedBeforeEofAsync("relay", "stdio", $"tcp:127.0.0.1:{Port(echo.Port)},proxy=127.0.0.1:{port}");
    }

    [Fact]
    public async Task ProxyOptionsOnATcpAddressSpeakSocks5WithAPasswordAndAWrongOneIsOneLine()
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess proxy, int port) = await SockitProxyAsync("--proxy-auth", "carol:pa:ss");
        await using var _ = proxy;
        string far = $"tcp:localhost:{Port(echo.Port)},proxy=127.0.0.1:{port},proxy-type=socks5";
        AssertEchoed(await SockitAsync(Message, "relay", "stdio", far + ",proxy-auth=carol:pa:ss"));
        string line = AssertOneLineFailure(await SockitAsync(Message, "relay", "stdio", far + ",proxy-auth=carol:nope"));
        Assert.Contains($"127.0.0.1:{port} (socks5) refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NcatsHttpProxyWantsTheRightPassword()
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess ncat, int port) = await NcatHttpProxyAsync("user:right");
        await using var _ = ncat;
        await EchoedBeforeEofAsync("cat", "--proxy", $"127.0.0.1:{port}", "--proxy-auth", "user:right", "127.0.0.1", Port(echo.Port));
        string line = AssertOneLineFailure(await SockitAsync(Message, "cat", "--proxy", $"127.0.0.1:{port}", "--proxy-auth", "user:wrong", "127.0.0.1", Port(echo.Port)));
        Assert.StartsWith($"[Proxy error]: 127.0.0.1:{port} (http) refused: 407 ", line, StringComparison.Ordinal);
        Assert.EndsWith("(wrong user or password)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("socks5", "localhost", null)]
    [InlineData("socks5", "127.0.0.1", null)]
    [InlineData("socks4", "127.0.0.1", null)]
    [InlineData("socks4", "localhost", "local")] // dante speaks SOCKS4 but not 4a: the name is resolved here
    public async Task NcReachesTheEchoServerThroughDante(string type, string host, string? dns)
    {
        using var dir = new TempDir();
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess dante, int port) = await DanteAsync(dir, FreePort.Closed());
        await using var _ = dante;
        string[] args = ["nc", "--proxy", $"127.0.0.1:{port}", "--proxy-type", type, host, Port(echo.Port)];
        AssertEchoed(await SockitAsync(Message, dns is null ? args : [.. args, "--proxy-dns", dns]));
    }

    [Fact]
    public async Task DantesRefusalsAreOneLineWithTheirCodeInWords()
    {
        using var dir = new TempDir();
        int blocked = FreePort.Closed();
        (RunningProcess dante, int port) = await DanteAsync(dir, blocked);
        await using var _ = dante;
        Assert.Equal($"[Proxy error]: 127.0.0.1:{port} (socks5) refused: connection not allowed by ruleset (0x02)",
            AssertOneLineFailure(await SockitAsync("", "nc", "-X", "5", "-x", $"127.0.0.1:{port}", "127.0.0.1", Port(blocked))));
        Assert.Equal($"[Proxy error]: 127.0.0.1:{port} (socks4) refused: request rejected or failed (0x5b)",
            AssertOneLineFailure(await SockitAsync("", "nc", "-X", "4", "-x", $"127.0.0.1:{port}", "127.0.0.1", Port(blocked))));
        int closed = FreePort.Closed();
        Assert.Equal($"[Proxy error]: 127.0.0.1:{port} (socks5) refused: connection refused (0x05)",
            AssertOneLineFailure(await SockitAsync("", "nc", "--proxy", $"127.0.0.1:{port}", "--proxy-type", "socks5", "127.0.0.1", Port(closed))));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("socks4")]
    [InlineData("socks5")]
    public async Task NcReachesTheEchoServerThroughSockitProxyWithCredentials(string type)
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess proxy, int port) = await SockitProxyAsync("--proxy-auth", "carol:pa:ss");
        await using var _ = proxy;
        AssertEchoed(await SockitAsync(Message, "nc", "--proxy", $"127.0.0.1:{port}", "--proxy-type", type, "--proxy-auth", "carol:pa:ss", "localhost", Port(echo.Port)));
        string line = AssertOneLineFailure(await SockitAsync(Message, "nc", "--proxy", $"127.0.0.1:{port}", "--proxy-type", type, "--proxy-auth", "carol:nope", "localhost", Port(echo.Port)));
        Assert.StartsWith($"[Proxy error]: 127.0.0.1:{port} ({type}) refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableProxyIsOneLine()
    {
        int nothing = FreePort.Closed();
        Assert.Equal($"[Proxy error]: cannot reach proxy 127.0.0.1:{nothing} (socks5): Connection refused",
            AssertOneLineFailure(await SockitAsync("", "nc", "--proxy", $"127.0.0.1:{nothing}", "--proxy-type", "socks5", "127.0.0.1", "80")));
    }

    [Fact]
    public async Task NoneResolutionRefusesANameBeforeConnecting()
    {
        int nothing = FreePort.Closed();
        string line = AssertOneLineFailure(await SockitAsync("", "nc", "--proxy", $"127.0.0.1:{nothing}", "--proxy-dns", "none", "localhost", "80"));
        Assert.Equal("[Proxy error]: --proxy-dns none: the destination must be an IP address, not 'localhost'", line);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("socks5")]
    public async Task BytesTheProxySendsWithItsReplyAreNotLost(string type)
    {
        // A proxy that answers and greets in the same write: the greeting must reach stdout.
        const string fakeProxy = """
            import socket, sys
            kind = sys.argv[1]
            srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
            print(srv.getsockname()[1], flush=True)
            c, _ = srv.accept()
            if kind == "http":
                data = b""
                while b"\r\n\r\n" not in data: data += c.recv(4096)
                c.sendall(b"HTTP/1.1 200 Connection established\r\nX-Extra: 1\r\n\r\ngreeting from the far end\n")
            else:
                greeting = c.recv(2); methods = c.recv(greeting[1])
                c.sendall(b"\x05\x02" if 2 in methods else b"\x05\xff")
                head = c.recv(2); user = c.recv(head[1]); plen = c.recv(1)[0]; password = c.recv(plen)
                ok = user == b"dave" and password == b"pw"
                c.sendall(b"\x01" + (b"\x00" if ok else b"\x01"))
                if not ok: sys.exit(0)
                c.recv(4096)
                c.sendall(b"\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x50greeting from the far end\n")
            c.shutdown(socket.SHUT_WR)
            while c.recv(4096): pass
            """;
        await using var proxy = RunningProcess.Start(Peers.Python, "-c", fakeProxy, type);
        string port = await proxy.WaitForLineAsync(_ => true);
        var run = await SockitAsync("", "nc", "--proxy", $"127.0.0.1:{port}", "--proxy-type", type, "--proxy-auth", "dave:pw", "far.example", "80");
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Equal("greeting from the far end", run.Stdout);
    }
}
