using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocols.Grumpy;

namespace Sockit.IntegrationTests.Access;

/// <summary><c>sockit serve --allow/--deny</c> over real sockets: who gets the grumpy reply, who is closed unanswered.</summary>
public sealed class ServeAccessTests
{
    private static readonly string Reply = GrumpyText.Reply + "\n";

    [Fact]
    public async Task DualStackServerRefusesADeniedIPv4ClientSeenAsMappedAndServesOthers()
    {
        await using ServerProcess server = await ServerProcess.StartAsync("--deny", "127.0.0.1");
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", server.Port, "let me in\n"));
        await server.Process.WaitForLineAsync(l => l.StartsWith("REFUSED CONNECTION FROM 127.0.0.1:", StringComparison.Ordinal) && l.EndsWith(": denied by --deny 127.0.0.1", StringComparison.Ordinal));

        Assert.Equal(Reply, await AccessClient.ExchangeAsync("127.0.0.2", "127.0.0.1", server.Port, "hello\n"));
        Assert.Equal(Reply, await AccessClient.ExchangeAsync("::1", "::1", server.Port, "hello six\n"));
        await server.Process.WaitForLineAsync("::1 said: hello six");
        Assert.DoesNotContain(server.Process.StdoutLines, l => l.StartsWith("127.0.0.1 said", StringComparison.Ordinal) || l == "RECEIVED CONNECTION FROM 127.0.0.1");
    }

    public static TheoryData<string, string> SpellingsOnEveryListener()
    {
        var data = new TheoryData<string, string>();
        foreach (string listener in new[] { "dual-stack", "-4" })
            foreach (string entry in new[] { "2130706433", "127.1", "0x7f.0.0.1", "0177.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "127.0.0.1/32", "::ffff:7f00:1", "::ffff:127.0.0.1/128" })
                data.Add(listener, entry);
        return data;
    }

    [Theory]
    [MemberData(nameof(SpellingsOnEveryListener))]
    public async Task EverySpellingOfADeniedAddressInADenyFileRefusesIt(string listener, string entry)
    {
        using var dir = new TempDir();
        string denyFile = dir.File("deny.txt");
        await File.WriteAllTextAsync(denyFile, $"# the one we do not want\n\n   {entry}   # in another spelling\n");
        string[] family = listener == "-4" ? ["-4"] : [];
        await using ServerProcess server = await ServerProcess.StartAsync([.. family, "--denyfile", denyFile]);

        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", server.Port, "hello\n"));
        await server.Process.WaitForLineAsync(l => l.EndsWith($": denied by --denyfile {denyFile}:3 {entry}", StringComparison.Ordinal));
        Assert.Equal(Reply, await AccessClient.ExchangeAsync("127.0.0.2", "127.0.0.1", server.Port, "hello\n"));
    }

    [Fact]
    public async Task AllowListWithCidrRangesServesOnlyItsMembers()
    {
        await using ServerProcess server = await ServerProcess.StartAsync("--allow", "127.0.0.2/31", "--allow", "::1/128");
        Assert.Equal(Reply, await AccessClient.ExchangeAsync("127.0.0.2", "127.0.0.1", server.Port, "two\n"));
        Assert.Equal(Reply, await AccessClient.ExchangeAsync("127.0.0.3", "127.0.0.1", server.Port, "three\n"));
        Assert.Equal(Reply, await AccessClient.ExchangeAsync("::1", "::1", server.Port, "six\n"));
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", server.Port, "one\n"));
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.4", "127.0.0.1", server.Port, "four\n"));
        await server.Process.WaitForLineAsync(l => l.StartsWith("REFUSED CONNECTION FROM 127.0.0.4:", StringComparison.Ordinal) && l.Contains("not in the allow list", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIPv4AllowListRefusesIPv6Clients()
    {
        await using ServerProcess server = await ServerProcess.StartAsync("--allow", "127.0.0.0/8");
        Assert.Equal("", await AccessClient.ExchangeAsync("::1", "::1", server.Port, "six\n"));
        Assert.Equal(Reply, await AccessClient.ExchangeAsync("127.0.0.9", "127.0.0.1", server.Port, "nine\n"));
    }

    [Fact]
    public async Task AHostNameIsResolvedAtStartAndMatchesItsAddresses()
    {
        await using ServerProcess server = await ServerProcess.StartAsync("-4", "--allow", "localhost");
        Assert.Equal(Reply, await AccessClient.ExchangeAsync("127.0.0.1", "127.0.0.1", server.Port, "local\n"));
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.2", "127.0.0.1", server.Port, "other\n"));
    }

    [Fact]
    public async Task EchoServerSendsADeniedClientNothing()
    {
        await using ServerProcess server = await ServerProcess.StartAsync("--echo", "--deny", "127.0.0.0/8");
        Assert.Equal("", await AccessClient.ExchangeAsync("127.0.0.5", "127.0.0.1", server.Port, "echo me\n"));
        Assert.Equal("echo me\n", await AccessClient.ExchangeAsync("::1", "::1", server.Port, "echo me\n"));
    }

    [Theory]
    [InlineData("--allow", "999.0.0.1", "--allow: invalid entry '999.0.0.1'")]
    [InlineData("--deny", "nosuch.invalid", "--deny: host 'nosuch.invalid' does not resolve")]
    [InlineData("--allowfile", "/nonexistent/allow.txt", "cannot read --allowfile '/nonexistent/allow.txt'")]
    public async Task ABadListIsOneLineAndExitOneBeforeListening(string option, string value, string expected)
    {
        await using var process = RunningProcess.Sockit("serve", "0", option, value);
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Empty(process.StdoutLines);
        string[] lines = process.Stderr.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith(expected, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadEntryInAFileNamesItsLine()
    {
        using var dir = new TempDir();
        string file = dir.File("allow.txt");
        await File.WriteAllTextAsync(file, "127.0.0.1\n# ok so far\n127.0.0.0/40\n");
        await using var process = RunningProcess.Sockit("nc", "-lk", "0", "--allowfile", file);
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Equal($"--allowfile {file}:3: invalid entry '127.0.0.0/40': the prefix length after '/' is a number from 0 to 32", process.Stderr.TrimEnd('\n'));
    }
}
