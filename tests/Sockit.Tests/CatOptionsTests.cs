using Sockit.Cli;
using Sockit.Cli.Commands;
using Sockit.Cli.Relay;
using Sockit.Endpoints;

namespace Sockit.Tests;

public sealed class CatOptionsTests
{
    [Theory]
    [InlineData("nc", "-l", "-p", "9000")]
    [InlineData("nc", "-l", "9000")]
    [InlineData("nc", "-lp", "9000")]
    [InlineData("cat", "-l", "9000")]
    public void EveryListenSpellingListensOnThePort(params string[] argv)
    {
        CatSettings s = CatCommand.Parse(argv[0], argv[1..]);
        Assert.True(s.Listen);
        Assert.Equal(EndpointSpec.Ip(null, 9000), s.Endpoint);
        Assert.Null(s.Source);
    }

    [Fact]
    public void ListenAddressComesFromDashSOrTheFirstArgument()
    {
        Assert.Equal("127.0.0.1", CatCommand.Parse("nc", "-l", "-s", "127.0.0.1", "-p", "9000").Endpoint.Host);
        Assert.Equal("::1", CatCommand.Parse("cat", "-l", "::1", "9000").Endpoint.Host);
    }

    [Fact]
    public void ConnectModeDashSAndDashPBindTheSource()
    {
        CatSettings s = CatCommand.Parse("nc", "-s", "127.0.0.1", "-p", "4000", "example.org", "80");
        Assert.False(s.Listen);
        Assert.Equal(EndpointSpec.Ip("example.org", 80), s.Endpoint);
        Assert.Equal(EndpointSpec.Ip("127.0.0.1", 4000), s.Source);
    }

    [Fact]
    public void NcatStyleFlagsMapOntoSettings()
    {
        CatSettings s = CatCommand.Parse("nc", "-lk", "-m", "5", "-i", "2", "-q", "0", "-C", "-v", "--no-shutdown", "-N", "9000");
        Assert.True(s.KeepOpen);
        Assert.Equal(5, s.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(2), s.IdleTimeout);
        Assert.Equal(TimeSpan.Zero, s.QuitAfterEof);
        Assert.True(s.Crlf && s.Verbose && s.NoShutdown);
    }

    [Fact]
    public void SendQueueTakesASizeAndDefaultsToOneMebibyte()
    {
        Assert.Equal(4L * 1024 * 1024, CatCommand.Parse("nc", "-lk", "--send-queue", "4MiB", "9000").SendQueueLimit);
        Assert.Equal(1024L * 1024, CatCommand.Parse("nc", "-lk", "9000").SendQueueLimit);
        Assert.Throws<UserError>(() => CatCommand.Parse("nc", "-lk", "--send-queue", "lots", "9000"));
    }

    [Theory]
    [InlineData("-k 1 2", "-k needs -l")]
    [InlineData("-n localhost 80", "-n given and 'localhost' is not a numeric address")]
    [InlineData("--send-only --recv-only 1.2.3.4 5", "cannot be used together")]
    [InlineData("-z 127.0.0.1", "sockit nc -z [-v] [-w SECS] HOST PORT...")]
    [InlineData("-z 127.0.0.1 x", "[Scan port error]: invalid port 'x'")]
    [InlineData("-z -l 80", "-z scans ports; it cannot be used with -l")]
    [InlineData("-z -u 127.0.0.1 80", "-z scans TCP ports only")]
    [InlineData("127.0.0.1 80 81", "[Usage]: sockit nc")]
    [InlineData("-x proxy.example:1080 127.0.0.1 80", "not OpenBSD nc's proxy; 'proxy.example:1080' looks like HOST:PORT")]
    [InlineData("-zn localhost 80", "-n given and 'localhost' is not a numeric address")]
    [InlineData("--expect-sha256 abc 127.0.0.1 80", "invalid --expect-sha256 'abc'")]
    [InlineData("-4 -6 1.2.3.4 5", "-4 and -6 cannot be used together")]
    [InlineData("-U", "sockit nc -U [-l] PATH")]
    [InlineData("-U /a /b", "sockit nc -U [-l] PATH")]
    [InlineData("-U -p 9 /a", "-p is a port; a Unix socket has none")]
    [InlineData("-U -l -s /c /a", "-s PATH is a client's own path")]
    [InlineData("-U --unix /a /b", "give the Unix socket path once")]
    [InlineData("-U -4 /a", "-U cannot be combined with -4 or -6")]
    [InlineData("-l -p 9000 9001", "give the listen port once")]
    public void BadCombinationsAreOneClearError(string argv, string expected)
    {
        var e = Assert.Throws<UserError>(() => CatCommand.Parse("nc", argv.Split(' ')));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnixPathTakesThePlaceOfHostAndPort()
    {
        CatSettings s = CatCommand.Parse("cat", "-l", "-U", "/tmp/x.sock");
        Assert.Equal(EndpointSpec.Unix("/tmp/x.sock"), s.Endpoint);
        Assert.Throws<UserError>(() => CatCommand.Parse("cat", "-U", "/tmp/x.sock", "host", "1"));
    }

    [Fact]
    public void ZeroIoTakesPortsAndRangesInTheOrderGiven()
    {
        CatSettings s = CatCommand.Parse("nc", "-zv", "-w", "2", "127.0.0.1", "80", "20-22", "443");
        Assert.Equal([80, 20, 21, 22, 443], s.ScanPorts);
        Assert.Equal("127.0.0.1", s.Endpoint.Host);
        Assert.Equal(TimeSpan.FromSeconds(2), s.ConnectTimeout);
        Assert.True(s.Verbose);
        Assert.Null(CatCommand.Parse("nc", "127.0.0.1", "80").ScanPorts);
    }

    [Theory]
    [InlineData("nc", "-x")]
    [InlineData("cat", "-x")]
    [InlineData("cat", "--hex-dump")]
    public void HexDumpTakesAFileOnBothCommands(string name, string flag)
    {
        Assert.Equal("dump.txt", CatCommand.Parse(name, flag, "dump.txt", "127.0.0.1", "80").HexDump);
        Assert.Equal("-", CatCommand.Parse(name, flag, "-", "127.0.0.1", "80").HexDump);
        Assert.Equal("./proxy:1080", CatCommand.Parse(name, flag, "./proxy:1080", "127.0.0.1", "80").HexDump);
    }

    [Fact]
    public void ChecksumAndProgressFlags()
    {
        string hex = new('A', 64);
        CatSettings s = CatCommand.Parse("cat", "--sha256", "--expect-sha256", hex, "--no-progress", "-l", "9000");
        Assert.True(s.Sha256);
        Assert.Equal(hex, s.ExpectSha256);
        Assert.False(s.Progress);
        Assert.True(CatCommand.Parse("cat", "-l", "9000").Progress);
    }
}
