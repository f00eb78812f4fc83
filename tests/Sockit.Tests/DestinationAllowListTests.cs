using System.Net;
using Sockit.Proxies;

namespace Sockit.Tests;

public sealed class DestinationAllowListTests
{
    private static readonly DestinationAllowList List = DestinationAllowList.Parse(
        ["127.0.0.1:80", "10.0.0.0/8:1000-2000", "[fd00::/8]:*", "Example.ORG:443", "*:7"]);

    [Theory]
    [InlineData("127.0.0.1", 80, true)]
    [InlineData("127.0.0.1", 81, false)]
    [InlineData("::ffff:127.0.0.1", 80, true)]
    [InlineData("10.200.3.4", 1500, true)]
    [InlineData("10.200.3.4", 999, false)]
    [InlineData("11.0.0.1", 1500, false)]
    [InlineData("fd12::5", 22, true)]
    [InlineData("fe80::1", 22, false)]
    [InlineData("192.0.2.1", 7, true)]
    public void AddressesMatchTheirRangesAndPorts(string address, int port, bool allowed)
        => Assert.Equal(allowed, List.AllowsAddress(IPAddress.Parse(address), port));

    [Theory]
    [InlineData("example.org", 443, true)]
    [InlineData("EXAMPLE.org.", 443, true)]
    [InlineData("example.org", 80, false)]
    [InlineData("www.example.org", 443, false)]
    [InlineData("anything", 7, true)]
    public void NamesMatchExactlyInAnyCase(string name, int port, bool allowed)
        => Assert.Equal(allowed, List.AllowsName(name, port));

    [Fact]
    public void PrefixesThatAreNotWholeBytesMatch()
    {
        DestinationAllowList list = DestinationAllowList.Parse(["192.168.4.0/22:*"]);
        Assert.True(list.AllowsAddress(IPAddress.Parse("192.168.7.255"), 1));
        Assert.False(list.AllowsAddress(IPAddress.Parse("192.168.8.0"), 1));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1:80")]
    [InlineData("10.0.0.0/33:80")]
    [InlineData("host:0")]
    [InlineData("host:90-80")]
    [InlineData("host:x")]
    [InlineData("bad host:80")]
    [InlineData("[example.org]:80")]
    public void MalformedPatternsAreRefused(string pattern)
        => Assert.Throws<FormatException>(() => DestinationAllowList.Parse([pattern]));
}
