using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Proxies;

/// <summary>The programs proxy tests run: our proxy, ncat's HTTP proxy, dante, a Python HTTP server, and a client run to its end.</summary>
internal static class ProxyPeers
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>sockit proxy -l 127.0.0.1:0 -v ARGS</c>, with the port from its Listening line.</summary>
    public static async Task<(RunningProcess Proxy, int Port)> SockitProxyAsync(params string[] args)
    {
        var proxy = RunningProcess.Sockit(["proxy", "-l", "127.0.0.1:0", "-v", .. args]);
        string line = await proxy.WaitForStderrLineAsync("Listening on ");
        string address = line["Listening on ".Length..line.IndexOf(',', StringComparison.Ordinal)];
        return (proxy, int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>A Python HTTP server on 127.0.0.1 serving <paramref name="root"/>, and its port.</summary>
    public static async Task<(RunningProcess Server, int Port)> HttpServerAsync(string root)
    {
        const string code = """
            import http.server, os, sys
            os.chdir(sys.argv[1])
            class Quiet(http.server.SimpleHTTPRequestHandler):
                def log_message(self, *args): pass
            s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
            print(s.server_address[1], flush=True)
            s.serve_forever()
            """;
        var server = RunningProcess.Start(Peers.Python, "-c", code, root);
        int port = int.Parse(await server.WaitForLineAsync(_ => true), CultureInfo.InvariantCulture);
        return (server, port);
    }

    /// <summary><c>ncat -l -k 127.0.0.1 PORT --proxy-type http [--proxy-auth USER:PASS]</c>, ready.</summary>
    public static async Task<(RunningProcess Ncat, int Port)> NcatHttpProxyAsync(string? auth = null)
    {
        int port = FreePort.Tcp();
        string[] args = ["-l", "-k", "127.0.0.1", Port(port), "--proxy-type", "http"];
        var ncat = RunningProcess.Start(Peers.Ncat, auth is null ? args : [.. args, "--proxy-auth", auth]);
        await Shell.WaitForListenerAsync(port);
        return (ncat, port);
    }

    /// <summary>
    /// dante (<c>danted</c>) on 127.0.0.1 with no authentication, SOCKS4 and SOCKS5, passing every destination on
    /// loopback except port <paramref name="blockedPort"/> of 127.0.0.1, which its rules refuse.
    /// </summary>
    public static async Task<(RunningProcess Dante, int Port)> DanteAsync(TempDir dir, int blockedPort)
    {
        int port = FreePort.Tcp();
        string config = dir.File("danted.conf");
        await File.WriteAllTextAsync(config, $$"""
            logoutput: stderr
            internal: 127.0.0.1 port = {{port}}
            external: 127.0.0.1
            socksmethod: none
            clientmethod: none
            user.privileged: root
            user.unprivileged: nobody
            client pass {
              from: 127.0.0.0/8 to: 0.0.0.0/0
            }
            socks block {
              from: 0.0.0.0/0 to: 127.0.0.1/32 port = {{blockedPort}}
            }
            socks pass {
              from: 127.0.0.0/8 to: 127.0.0.0/8
            }
            """);
        string danted = File.Exists("/usr/sbin/danted") ? "/usr/sbin/danted" : Peers.Require("danted");
        var dante = RunningProcess.Start(danted, "-f", config, "-p", dir.File("danted.pid"));
        await Shell.WaitForListenerAsync(port);
        return (dante, port);
    }

    /// <summary>Runs <c>sockit ARGS</c> with <paramref name="input"/> on stdin (then EOF) to its end: exit code, stdout, stderr.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> SockitAsync(string input, params string[] args)
    {
        await using var client = RunningProcess.Sockit(args);
        await client.Input.WriteAsync(input);
        client.Input.Close();
        int exit = await client.WaitForExitAsync(Bound);
        return (exit, string.Join('\n', client.StdoutLines), client.Stderr);
    }

    /// <summary>Runs curl with <paramref name="args"/> to its end.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> CurlAsync(params string[] args)
    {
        await using var curl = RunningProcess.Start(Peers.Require("curl"), ["-sS", "--max-time", "30", .. args]);
        curl.Input.Close();
        int exit = await curl.WaitForExitAsync(Bound);
        return (exit, string.Join('\n', curl.StdoutLines), curl.Stderr);
    }

    /// <summary>Asserts a failure is one line on stderr, with no stack trace, and exit 1.</summary>
    public static string AssertOneLineFailure((int Exit, string Stdout, string Stderr) run)
    {
        Assert.Equal(1, run.Exit);
        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{run.Stderr}");
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        return lines[0];
    }
}
