using System.Net;
using Sockit.Cli.Commands;
using Sockit.Endpoints;

namespace Sockit.Tests;

public sealed class ResolveTextTests
{
    [Fact]
    public void AddressesAreListedByFamily()
    {
        var answer = new ResolvedName("localhost", "localhost", [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        Assert.Equal(["localhost has address 127.0.0.1", "localhost has IPv6 address ::1"], ResolveCommand.Describe(answer));
    }

    [Fact]
    public void ADifferentCanonicalNameIsShownAsAnAlias()
    {
        var answer = new ResolvedName("www", "web.example.test", [IPAddress.Parse("192.0.2.7")]);
        Assert.Equal(["www is an alias for web.example.test", "web.example.test has address 192.0.2.7"], ResolveCommand.Describe(answer));
    }

    [Fact]
    public void CaseAndATrailingDotAreNotAnAlias()
    {
        var answer = new ResolvedName("LocalHost.", "localhost", [IPAddress.Loopback]);
        Assert.Equal(["localhost has address 127.0.0.1"], ResolveCommand.Describe(answer));
    }

    [Fact]
    public void ReverseIsOneLine() => Assert.Equal("127.0.0.1 is localhost", ResolveCommand.DescribeReverse(IPAddress.Loopback, "localhost"));
}
