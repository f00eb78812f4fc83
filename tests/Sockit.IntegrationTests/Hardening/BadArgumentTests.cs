using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Hardening;

/// <summary>
/// Hostile and odd command lines for every command: each is one line on stderr, exit 1, nothing on stdout,
/// never a stack trace. Help requests are the one exception: help text on stdout, exit 0.
/// </summary>
public sealed class BadArgumentTests
{
    private static readonly string LongUnixPath = "/tmp/" + new string('a', 120);

    public static TheoryData<string[]> BadCommandLines() => new()
    {
        new[] { "serve", "" },
        new[] { "serve", "99999999999999999999" },
        new[] { "serve", "+80" },
        new[] { "serve", "0x50" },
        new[] { "serve", "١٢٣" },
        new[] { "serve", " 80" },
        new[] { "serve", "0", "--timeout", "0" },
        new[] { "serve", "0", "--timeout", "-5" },
        new[] { "serve", "0", "--timeout", "NaN" },
        new[] { "serve", "0", "--timeout", "1e400" },
        new[] { "serve", "0", "--grace", "99999999999" },
        new[] { "serve", "0", "--max-message", "0" },
        new[] { "serve", "0", "--max-message", "999999999999999999999k" },
        new[] { "serve", "0", "--backlog", "-1" },
        new[] { "serve", "0", "--backlog", "99999999999" },
        new[] { "serve", "0", "--bind", "localhost" },
        new[] { "serve", "0", "--bind", "" },
        new[] { "serve", "--unix", LongUnixPath },
        new[] { "serve", "--unix", LongUnixPath, "-u" },
        new[] { "serve", "--unix", "/tmp" },
        new[] { "serve", "--unix", "/nonexistent-sockit-dir/x.sock" },
        new[] { "serve", "--unix", "/nonexistent-sockit-dir/x.sock", "-u" },
        new[] { "serve", "--unix", "/tmp/x.sock", "--mode", "999" },
        new[] { "serve", "--unix", "" },
        new[] { "serve", "0", "-4", "-6" },
        new[] { "serve", "0", "--unix", "/tmp/x.sock" },
        new[] { "serve", "0", "--bogus" },
        new[] { "serve", "0", "--timeout", "1", "--timeout", "2" },
        new[] { "connect", "", "80" },
        new[] { "connect", "127.0.0.1", "0" },
        new[] { "connect", "127.0.0.1", "+80" },
        new[] { "connect", "127.0.0.1", "1", "-w", "NaN" },
        new[] { "connect", "--unix", LongUnixPath },
        new[] { "connect", "--unix", LongUnixPath, "-u" },
        new[] { "connect", "-4", "-6", "localhost", "1" },
        new[] { "connect", "::1", "1", "-4" },
        new[] { "scan", "", "80" },
        new[] { "scan", "127.0.0.1", "0" },
        new[] { "scan", "127.0.0.1", "1-" },
        new[] { "scan", "127.0.0.1", "1", "-c", "0" },
        new[] { "scan", "127.0.0.1", "1", "-c", "99999999999" },
        new[] { "scan", "127.0.0.1", "1", "--unix", "/tmp/x" },
        new[] { "scan", "127.0.0.1", "1", "-u" },
        new[] { "scan", "127.0.0.1", "80", "-w", "NaN" },
        new[] { "ping", "" },
        new[] { "ping", "127.0.0.1", "-c", "-1" },
        new[] { "ping", "127.0.0.1", "-c", "99999999999" },
        new[] { "ping", "127.0.0.1", "-s", "70000" },
        new[] { "ping", "127.0.0.1", "-i", "0" },
        new[] { "ping", "127.0.0.1", "--unix", "/tmp/x" },
        new[] { "resolve", "" },
        new[] { "resolve", "-4", "-6", "localhost" },
        new[] { "addr", "1.2.3.4", "65536" },
        new[] { "addr", "999.1.1.1", "80" },
        new[] { "bogus-command" },
        // Issue 8: each of these listened (or exited 0) before hosts and ports were checked at parse time.
        new[] { "relay", "-l", "0", "1.2.3.4.5", "9" },
        new[] { "relay", "-l", "0", "::1::1", "9" },
        new[] { "relay", "-l", "0", "127.0.0.1:", "9" },
        new[] { "relay", "-l", "[::1:0", "127.0.0.1", "9" },
        new[] { "serve", "0100" },
        new[] { "cat", "-l", "0100" },
        new[] { "nc", "-l", "-p", "0100" },
        new[] { "relay", "-l", "0100", "127.0.0.1", "9" },
        new[] { "serve", "0", "--bind", "[::1" },
        new[] { "cat", "-l", "0", "-s", "[::1" },
        new[] { "scan", "[::1", "9" },
        new[] { "ping", "[::1" },
        new[] { "nc", "127.0.0.1", "40000", "--baffle" },
        new[] { "nc", "-e", "/bin/sh", "127.0.0.1", "40000" },
        new[] { "nc", "-lvd", "40000" },
        new[] { "cat", "--ssl", "127.0.0.1", "40000" },
        new[] { "addr", "[::1]:80", "80" },
    };

    [Theory]
    [InlineData("[Client address error]: invalid host '1.2.3.4.5': not an IPv4 address (four numbers from 0 to 255, as in 127.0.0.1)", "relay", "-l", "0", "1.2.3.4.5", "9")]
    [InlineData("[Server port error]: invalid port '0100': a leading zero is ambiguous (socat reads it as octal); write 100 if you mean decimal", "serve", "0100")]
    [InlineData("[Server address error]: cannot listen on '[::1': brackets must enclose the whole IPv6 address, as in [::1]", "serve", "0", "--bind", "[::1")]
    [InlineData("unknown option '--baffle'", "nc", "127.0.0.1", "40000", "--baffle")]
    [InlineData("unknown option '--baffle'", "serve", "0", "--baffle")]
    [InlineData("-d is not supported yet (ncat: delay between reads/writes; OpenBSD nc: do not read stdin)", "nc", "-d", "127.0.0.1", "40000")]
    [InlineData("invalid --proxy-type 'socks6': http, socks4 or socks5", "nc", "--proxy", "p:3128", "--proxy-type", "socks6", "127.0.0.1", "40000")]
    [InlineData("--tls is for streams (TCP or Unix); DTLS over UDP is not supported", "serve", "0", "--udp", "--tls")]
    [InlineData("--pin, --insecure and --ssl-servername are for clients; a listener presents --ssl-cert", "serve", "0", "--insecure")]
    public async Task BadCommandLineSaysWhatIsWrong(string expected, params string[] arguments)
    {
        await using var sockit = RunningProcess.Sockit(arguments);
        Assert.Equal(1, await sockit.WaitForExitAsync());
        Assert.Equal(expected + "\n", sockit.Stderr);
    }

    [Fact]
    public async Task RelayRefusesAnUpstreamNameThatDoesNotResolveBeforeListening()
    {
        // In a network namespace of its own the lookup fails at once, and no query leaves this machine.
        await using var sockit = RunningProcess.Start(Peers.Require("unshare"), "-n", Repo.SockitPath, "relay", "-l", "0", "no-such-host.invalid", "9");
        Assert.Equal(1, await sockit.WaitForExitAsync());
        Assert.StartsWith("[Client resolve error]: upstream 'no-such-host.invalid': ", sockit.Stderr, StringComparison.Ordinal);
        Assert.Single(sockit.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(sockit.StdoutLines);
    }

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task BadCommandLineIsOneLineAndExitOne(string[] arguments)
    {
        await using var sockit = RunningProcess.Sockit(arguments);
        Assert.Equal(1, await sockit.WaitForExitAsync());
        string stderr = sockit.Stderr;
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(sockit.StdoutLines);
    }

    [Theory]
    [InlineData]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("help", "serve")]
    [InlineData("serve", "--help")]
    public async Task HelpRequestsPrintHelpAndExitZero(params string[] arguments)
    {
        await using var sockit = RunningProcess.Sockit(arguments);
        Assert.Equal(0, await sockit.WaitForExitAsync());
        Assert.Contains(sockit.StdoutLines, line => line.StartsWith("Usage:", StringComparison.Ordinal));
        Assert.Equal("", sockit.Stderr);
    }

    [Fact]
    public async Task AFifoAtTheUnixPathIsRefusedNotWaitedOn()
    {
        using var dir = new TempDir();
        string fifo = dir.File("a.fifo");
        await using (var mkfifo = RunningProcess.Start("mkfifo", fifo))
            Assert.Equal(0, await mkfifo.WaitForExitAsync());
        await using var sockit = RunningProcess.Sockit("serve", "--unix", fifo);
        Assert.Equal(1, await sockit.WaitForExitAsync());
        Assert.Equal($"[Server bind error]: {fifo} exists and is not a socket; refusing to replace it", sockit.Stderr.TrimEnd('\n'));
        Assert.True(File.Exists(fifo));
    }

    [Fact]
    public async Task ServeInAMissingDirectorySaysNoSuchFile()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.File("missing"), "x.sock");
        await using var sockit = RunningProcess.Sockit("serve", "--unix", path);
        Assert.Equal(1, await sockit.WaitForExitAsync());
        Assert.Equal($"[Server bind error]: {path}: No such file or directory", sockit.Stderr.TrimEnd('\n'));
    }
}
