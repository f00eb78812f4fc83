using Sockit.Cli.Commands;

namespace Sockit.Tests.CommandLines;

/// <summary>What <see cref="SockitCommandLine.Prepare"/> says about whole command lines, without running them.</summary>
public sealed class CommandLineCheckTests
{
    public static TheoryData<string[]> EveryCommand() => new()
    {
        new[] { "serve", "0" },
        new[] { "connect", "127.0.0.1", "1" },
        new[] { "scan", "127.0.0.1", "1" },
        new[] { "ping", "127.0.0.1" },
        new[] { "resolve", "localhost" },
        new[] { "addr", "1.2.3.4", "1" },
        new[] { "cat", "127.0.0.1", "1" },
        new[] { "nc", "127.0.0.1", "1" },
        new[] { "relay", "-l", "0", "127.0.0.1", "1" },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void AnUnknownOptionIsNamedOnEveryCommand(string[] line)
    {
        Assert.Null(SockitCommandLine.Prepare(line).Error);
        Assert.Equal("unknown option '--baffle'", SockitCommandLine.Prepare([.. line, "--baffle"]).Error);
        Assert.Equal("unknown option '--baffle'", SockitCommandLine.Prepare([line[0], "--baffle", .. line[1..]]).Error);
    }

    [Fact]
    public void EveryNcOrNcatFlagWeLackIsOneLineSayingSo()
    {
        foreach (string command in new[] { "nc", "cat" })
            foreach (string flag in UnsupportedFlags.All)
            {
                string? error = SockitCommandLine.Prepare([command, flag, "127.0.0.1", "1"]).Error;
                Assert.True(error is not null && error.StartsWith(flag + " is not supported yet (", StringComparison.Ordinal), $"{command} {flag}: {error}");
            }
    }

    [Theory]
    [InlineData("-lvd 1", "-d (in '-lvd') is not supported yet")]
    [InlineData("-X 5 -P me -x proxy:1080 h 1", "-P is not supported yet")]
    [InlineData("--proxy-type=socks5 -l 1", "-l --proxy-type: a listener can be an http proxy only")]
    [InlineData("-lQ 1", "unknown option '-Q' (in '-lQ')")]
    [InlineData("127.0.0.1 40000 --baffle", "unknown option '--baffle'")]
    public void NcFlagsAreFoundInBundlesAndWithValues(string argv, string expected)
        => Assert.StartsWith(expected, SockitCommandLine.Prepare(["nc", .. argv.Split(' ')]).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("serve 0 --bind [::1]")]
    [InlineData("serve 0 --bind ::1")]
    [InlineData("connect -m -hello 127.0.0.1 80")]
    [InlineData("connect localhost 80")]
    [InlineData("scan [::1] 1-10")]
    [InlineData("addr [::1] 80")]
    [InlineData("nc -lvk 9000")]
    [InlineData("nc -lp9000")]
    [InlineData("nc -l")]
    [InlineData("nc -vv 127.0.0.1")]
    [InlineData("nc -q -1 127.0.0.1 80")]
    [InlineData("nc -x - 127.0.0.1 80")]
    [InlineData("nc --nodns 127.0.0.1 80")]
    [InlineData("nc -U --udp -s /tmp/c.sock /tmp/s.sock")]
    [InlineData("cat -U /tmp/s.sock")]
    [InlineData("relay -l [::1]:0 localhost 80")]
    public void GoodLinesAreReadyToRun(string line) => Assert.Null(SockitCommandLine.Prepare(line.Split(' ')).Error);

    [Theory]
    [InlineData("bogus-command", "unknown command 'bogus-command'")]
    [InlineData("--baffle", "unknown option '--baffle'")]
    public void TheRootNamesAnUnknownCommandOrOption(string word, string expected)
        => Assert.StartsWith(expected, SockitCommandLine.Prepare([word]).Error, StringComparison.Ordinal);
}
