using Sockit.Cli;
using Sockit.Cli.Commands;
using Sockit.Cli.Relay;
using Sockit.Endpoints;
using Sockit.Proxies;

namespace Sockit.Tests;

/// <summary>How nc/cat read the proxy flags: ncat's spellings, OpenBSD nc's -X/-x, and the listener's --proxy-type http.</summary>
public sealed class ProxyOptionsTests
{
    [Theory]
    [InlineData("10.0.0.1", "http", "10.0.0.1", 3128)]
    [InlineData("10.0.0.1", "socks5", "10.0.0.1", 1080)]
    [InlineData("proxy.example:8080", "socks4", "proxy.example", 8080)]
    [InlineData("[::1]:1081", "socks5", "::1", 1081)]
    [InlineData("[::1]", "http", "::1", 3128)]
    public void ProxyAddressDefaultsItsPortByType(string address, string type, string host, int port)
    {
        CatSettings s = CatCommand.Parse("nc", "--proxy", address, "--proxy-type", type, "example.org", "80");
        Assert.Equal(EndpointSpec.Ip(host, port), s.Proxy!.Proxy);
        Assert.Equal(ProxyDns.Remote, s.Proxy.Dns);
        Assert.Equal(EndpointSpec.Ip("example.org", 80), s.Endpoint);
    }

    [Theory]
    [InlineData("4", ProxyKind.Socks4)]
    [InlineData("5", ProxyKind.Socks5)]
    [InlineData("connect", ProxyKind.Http)]
    public void OpenBsdDashXReadsLowerXAsTheProxy(string type, ProxyKind kind)
    {
        CatSettings s = CatCommand.Parse("nc", "-X", type, "-x", "127.0.0.1:1080", "example.org", "80");
        Assert.Equal(kind, s.Proxy!.Kind);
        Assert.Equal(EndpointSpec.Ip("127.0.0.1", 1080), s.Proxy.Proxy);
        Assert.Null(s.HexDump);
    }

    [Fact]
    public void WithoutDashXLowerXStaysTheHexDump()
    {
        CatSettings s = CatCommand.Parse("nc", "-x", "dump.hex", "example.org", "80");
        Assert.Equal("dump.hex", s.HexDump);
        Assert.Null(s.Proxy);
    }

    [Fact]
    public void CredentialsAndDnsAreRead()
    {
        CatSettings s = CatCommand.Parse("cat", "--proxy", "p:1", "--proxy-type", "socks5", "--proxy-auth", "me:pw", "--proxy-dns", "local", "h", "80");
        Assert.Equal(new ProxyCredentials("me", "pw"), s.Proxy!.Credentials);
        Assert.Equal(ProxyDns.Local, s.Proxy.Dns);
    }

    [Fact]
    public void ListenWithProxyTypeHttpIsTheProxyServer()
    {
        CatSettings s = CatCommand.Parse("nc", "-l", "3128", "--proxy-type", "http", "--proxy-auth", "u:p");
        Assert.Equal(new ProxyCredentials("u", "p"), s.ProxyServer!.Credentials);
    }

    [Theory]
    [InlineData("--proxy", "p:1", "--proxy-type", "socks6", "h", "80")]
    [InlineData("--proxy", "p:1", "--proxy-dns", "nowhere", "h", "80")]
    [InlineData("--proxy", "::1:1080", "h", "80")]
    [InlineData("--proxy", "p:0", "h", "80")]
    [InlineData("--proxy-type", "socks5", "h", "80")]
    [InlineData("--proxy", "p:1", "--proxy-auth", ":pw", "h", "80")]
    [InlineData("--proxy", "p:1", "-u", "h", "80")]
    [InlineData("-l", "--proxy", "p:1", "9000")]
    [InlineData("-l", "--proxy-type", "socks5", "9000")]
    [InlineData("-X", "5", "h", "80")]
    [InlineData("-X", "6", "-x", "p:1", "h", "80")]
    [InlineData("-X", "5", "-x", "p:1", "--proxy", "q:1", "h", "80")]
    public void BadProxyLinesAreOneUserError(params string[] argv)
        => Assert.Throws<UserError>(() => CatCommand.Parse("nc", argv));
}
