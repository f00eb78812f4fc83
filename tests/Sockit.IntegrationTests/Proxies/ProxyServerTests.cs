using Sockit.IntegrationTests.Infrastructure;
using static Sockit.IntegrationTests.Proxies.ProxyPeers;

namespace Sockit.IntegrationTests.Proxies;

/// <summary><c>sockit proxy</c> with real clients: curl over HTTP CONNECT, SOCKS4a and SOCKS5, credentials, the allow-list.</summary>
public sealed class ProxyServerTests
{
    private const string Page = "served through the proxy\n";

    private static async Task<(RunningProcess Web, int Port, TempDir Dir)> WebAsync()
    {
        var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("page.txt"), Page);
        (RunningProcess web, int port) = await HttpServerAsync(dir.Path);
        return (web, port, dir);
    }

    [Theory]
    [InlineData("-p", "--proxy", "http://127.0.0.1:{0}", "127.0.0.1")]
    [InlineData("--socks5-hostname", "127.0.0.1:{0}", null, "localhost")]
    [InlineData("--socks5", "127.0.0.1:{0}", null, "127.0.0.1")]
    [InlineData("--socks4a", "127.0.0.1:{0}", null, "localhost")]
    [InlineData("--socks4", "127.0.0.1:{0}", null, "127.0.0.1")]
    public async Task CurlFetchesAPageThroughEveryProtocolOnOnePort(string flag, string value, string? extra, string host)
    {
        (RunningProcess web, int webPort, TempDir dir) = await WebAsync();
        using var _ = dir;
        await using var __ = web;
        (RunningProcess proxy, int port) = await SockitProxyAsync();
        await using var ___ = proxy;
        string[] args = extra is null ? [flag, string.Format(null, value, port)] : [flag, value, string.Format(null, extra, port)];
        var run = await CurlAsync([.. args, $"http://{host}:{webPort}/page.txt"]);
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Equal(Page.TrimEnd('\n'), run.Stdout);
        string line = await proxy.WaitForStderrLineAsync("127.0.0.1:");
        Assert.Contains($"-> {host}:{webPort} (", line, StringComparison.Ordinal);
        Assert.Contains("ended: both directions closed", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsAreRequiredOverHttpAndSocks5()
    {
        (RunningProcess web, int webPort, TempDir dir) = await WebAsync();
        using var _ = dir;
        await using var __ = web;
        (RunningProcess proxy, int port) = await SockitProxyAsync("--proxy-auth", "alice:s3cret");
        await using var ___ = proxy;
        string url = $"http://127.0.0.1:{webPort}/page.txt";

        Assert.Equal(Page.TrimEnd('\n'), (await CurlAsync("-p", "--proxy", $"http://127.0.0.1:{port}", "--proxy-user", "alice:s3cret", url)).Stdout);
        Assert.Equal(Page.TrimEnd('\n'), (await CurlAsync("--proxy", $"socks5h://alice:s3cret@127.0.0.1:{port}", url)).Stdout);

        var wrongHttp = await CurlAsync("-p", "--proxy", $"http://127.0.0.1:{port}", "--proxy-user", "alice:guess", url);
        Assert.NotEqual(0, wrongHttp.Exit);
        Assert.Contains("407", wrongHttp.Stderr, StringComparison.Ordinal);
        var wrongSocks = await CurlAsync("--proxy", $"socks5h://alice:guess@127.0.0.1:{port}", url);
        Assert.NotEqual(0, wrongSocks.Exit);
        var none = await CurlAsync("--proxy", $"socks5h://127.0.0.1:{port}", url);
        Assert.NotEqual(0, none.Exit);

        await proxy.WaitForStderrLineAsync("127.0.0.1:", TimeSpan.FromSeconds(20));
        await proxy.WaitForStderrAsync(e => e.Contains("(socks5): refused: no username/password offered", StringComparison.Ordinal), Bound);
        Assert.Contains("(http): refused: wrong user or password (407 sent)", proxy.Stderr, StringComparison.Ordinal);
        Assert.Contains("(socks5): refused: wrong user or password", proxy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("guess", proxy.Stderr, StringComparison.Ordinal);
        Assert.False(proxy.Process.HasExited);
    }

    [Fact]
    public async Task DestinationsOutsideTheAllowListAreRefusedWithTheirCode()
    {
        (RunningProcess web, int webPort, TempDir dir) = await WebAsync();
        using var _ = dir;
        await using var __ = web;
        (RunningProcess proxy, int port) = await SockitProxyAsync("--allow-dest", $"127.0.0.1:{webPort}");
        await using var ___ = proxy;

        Assert.Equal(Page.TrimEnd('\n'), (await CurlAsync("--socks5-hostname", $"127.0.0.1:{port}", $"http://localhost:{webPort}/page.txt")).Stdout);
        int other = FreePort.Closed();
        var socks = await SockitAsync("", "nc", "--proxy", $"127.0.0.1:{port}", "--proxy-type", "socks5", "localhost", Port(other));
        Assert.Equal($"[Proxy error]: 127.0.0.1:{port} (socks5) refused: connection not allowed by ruleset (0x02)", AssertOneLineFailure(socks));
        var http = await SockitAsync("", "nc", "--proxy", $"127.0.0.1:{port}", "127.0.0.2", Port(webPort));
        Assert.Equal($"[Proxy error]: 127.0.0.1:{port} (http) refused: 403 Forbidden", AssertOneLineFailure(http));
        await proxy.WaitForStderrAsync(e => e.Contains($"-> localhost:{other}: refused: not in the destination allow-list", StringComparison.Ordinal), Bound);
    }

    [Fact]
    public async Task BytesSentRightBehindTheRequestReachTheDestination()
    {
        // A client that does not wait for the proxy's answer: request and first data in one write, for each protocol.
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess proxy, int port) = await SockitProxyAsync();
        await using var _ = proxy;
        const string client = """
            import socket, struct, sys
            port, target = int(sys.argv[1]), int(sys.argv[2])
            requests = {
                "http": b"CONNECT 127.0.0.1:%d HTTP/1.1\r\nHost: x\r\n\r\n" % target,
                "socks4": struct.pack(">BBH", 4, 1, target) + bytes([127, 0, 0, 1]) + b"\0",
                "socks5": b"\x05\x01\x00" + b"\x05\x01\x00\x01" + bytes([127, 0, 0, 1]) + struct.pack(">H", target),
            }
            for name, request in requests.items():
                s = socket.create_connection(("127.0.0.1", port))
                s.settimeout(30)
                s.sendall(request + b"early bytes " + name.encode())
                s.shutdown(socket.SHUT_WR)
                data = b""
                while True:
                    d = s.recv(65536)
                    if not d: break
                    data += d
                print(name, data.endswith(b"early bytes " + name.encode()), flush=True)
            """;
        await using var run = RunningProcess.Start(Peers.Python, "-c", client, Port(port), Port(echo.Port));
        Assert.Equal(0, await run.WaitForExitAsync(Bound));
        Assert.Equal(["http True", "socks4 True", "socks5 True"], run.StdoutLines);
    }

    [Fact]
    public async Task AnIdleClientIsDroppedAndTheServerGoesOn()
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess proxy, int port) = await SockitProxyAsync("-i", "1", "--handshake-timeout", "1");
        await using var _ = proxy;
        const string client = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(30)
            s.sendall(b"CONNECT 127.0.0.1:%s HTTP/1.1\r\n\r\n" % sys.argv[2].encode())
            print(s.recv(100).split(b"\r\n")[0].decode(), flush=True)
            print("closed" if s.recv(100) == b"" else "data", flush=True)
            silent = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            silent.settimeout(30)
            print("closed" if silent.recv(100) == b"" else "data", flush=True)
            """;
        await using var run = RunningProcess.Start(Peers.Python, "-c", client, Port(port), Port(echo.Port));
        Assert.Equal(0, await run.WaitForExitAsync(Bound));
        Assert.Equal(["HTTP/1.1 200 Connection established", "closed", "closed"], run.StdoutLines);
        await proxy.WaitForStderrAsync(e => e.Contains("ended: idle timeout", StringComparison.Ordinal)
            && e.Contains("refused: no complete request within 1 s", StringComparison.Ordinal), Bound);
        Assert.False(proxy.Process.HasExited);
    }

    [Fact]
    public async Task NcatClientReachesTheDestinationThroughOurSocks5WithCredentials()
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        (RunningProcess proxy, int port) = await SockitProxyAsync("--proxy-auth", "bob:pw");
        await using var _ = proxy;
        await using var ncat = RunningProcess.Start(Peers.Ncat, "--proxy", $"127.0.0.1:{port}", "--proxy-type", "socks5", "--proxy-auth", "bob:pw", "127.0.0.1", Port(echo.Port));
        await ncat.Input.WriteAsync("through ncat\n");
        ncat.Input.Close();
        Assert.Equal(0, await ncat.WaitForExitAsync(Bound));
        Assert.Equal(["through ncat"], ncat.StdoutLines);
    }

    [Fact]
    public async Task NcListenWithProxyTypeHttpIsAnHttpProxyForNcat()
    {
        await using var echo = await ServerProcess.StartAsync("--echo");
        var proxy = RunningProcess.Sockit("nc", "-l", "-v", "127.0.0.1", "0", "--proxy-type", "http", "--proxy-auth", "u:p");
        await using var _ = proxy;
        string line = await proxy.WaitForStderrLineAsync("Listening on ");
        string address = line["Listening on ".Length..line.IndexOf(',', StringComparison.Ordinal)];
        string port = address[(address.LastIndexOf(':') + 1)..];
        await using var ncat = RunningProcess.Start(Peers.Ncat, "--proxy", $"127.0.0.1:{port}", "--proxy-type", "http", "--proxy-auth", "u:p", "127.0.0.1", Port(echo.Port));
        await ncat.Input.WriteAsync("via nc -l\n");
        ncat.Input.Close();
        Assert.Equal(0, await ncat.WaitForExitAsync(Bound));
        Assert.Equal(["via nc -l"], ncat.StdoutLines);
    }
}
