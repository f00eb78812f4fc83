using Sockit.Cli.Commands;
using Sockit.Cli.Relay;

namespace Sockit.Tests.CommandLines;

/// <summary>--allow, --deny, --allowfile, --denyfile on every listening command line, checked without running it.</summary>
public sealed class AccessCommandLineTests
{
    [Theory]
    [InlineData("serve 0 --deny 127.0.0.1")]
    [InlineData("serve 0 --udp --allow 127.0.0.0/8,::1")]
    [InlineData("serve 0 --echo --allowfile hosts.txt --denyfile bad.txt")]
    [InlineData("serve 0 --max-conns 100 --allow localhost")]
    [InlineData("nc -lk 9000 --allow 127.0.0.1 --allow ::1 --deny 127.0.0.2")]
    [InlineData("nc -lu 9000 --deny 127.0.0.1")]
    [InlineData("nc -lk 9000 -e /bin/cat --allow 127.0.0.1")]
    [InlineData("cat -l 9000 --denyfile bad.txt")]
    [InlineData("relay -l 0 127.0.0.1 1 --deny 2001:db8::/32")]
    public void EveryListenerTakesTheLists(string line)
        => Assert.Null(SockitCommandLine.Prepare(line.Split(' ')).Error);

    [Theory]
    [InlineData("serve 0 --deny 300.1.1.1", "--deny: invalid entry '300.1.1.1'")]
    [InlineData("nc -l 9000 --allow 10/8", "--allow: invalid entry '10/8': write the network address in full")]
    [InlineData("relay -l 0 127.0.0.1 1 --allow 127.0.0.1-5", "--allow: invalid entry '127.0.0.1-5': octet ranges")]
    [InlineData("nc 127.0.0.1 9000 --allow 127.0.0.1", "--allow/--deny are for listeners (-l)")]
    [InlineData("nc -z 127.0.0.1 9000 --deny 127.0.0.1", "--allow/--deny are for listeners (-l)")]
    [InlineData("serve --unix /tmp/acl.sock --deny 127.0.0.1", "--allow/--deny filter IP clients; a Unix socket's clients have no address")]
    [InlineData("nc -lU /tmp/acl.sock --allow 127.0.0.1", "--allow/--deny filter IP clients")]
    [InlineData("serve 0 --udp --max-conns 5", "--max-conns counts stream clients")]
    [InlineData("serve 0 --max-conns 0", "invalid --max-conns '0'")]
    public void AMisusedListIsOneLine(string line, string expected)
        => Assert.StartsWith(expected, SockitCommandLine.Prepare(line.Split(' ')).Error, StringComparison.Ordinal);

    [Fact]
    public async Task RepeatedOptionsAddUpAndCommasSeparate()
    {
        CatSettings s = CatCommand.Parse("nc", "-lk", "9000", "--allow", "127.0.0.1,::1", "--allow", "10.0.0.0/8", "--deny", "10.0.0.1");
        Sockit.Access.AccessPolicy policy = await s.AccessLists!.BuildAsync();
        Assert.Equal(["127.0.0.1", "::1", "10.0.0.0/8"], policy.AllowRules.Select(r => r.Text));
        Assert.Equal(["10.0.0.1"], policy.DenyRules.Select(r => r.Text));
    }

    [Fact]
    public void AnOptionTakesOneValueSoThePortIsNotSwallowed()
    {
        CatSettings s = CatCommand.Parse("cat", "-l", "--deny", "127.0.0.1", "9000");
        Assert.Equal(9000, s.Endpoint.Port);
    }

    [Fact]
    public void NoListsMeanNoPolicy() => Assert.Null(CatCommand.Parse("nc", "-lk", "9000").AccessLists);
}
