using System.Net;
using Sockit.Endpoints;

namespace Sockit.Tests;

public sealed class NameLookupTests
{
    [Fact]
    public void AddressesAreListedByFamily()
    {
        var answer = new ForwardAnswer("localhost", "localhost", [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        Assert.Equal(["localhost has address 127.0.0.1", "localhost has IPv6 address ::1"], NameLookup.Describe(answer));
    }

    [Fact]
    public void ADifferentCanonicalNameIsShownAsAnAlias()
    {
        var answer = new ForwardAnswer("www", "web.example.test", [IPAddress.Parse("192.0.2.7")]);
        Assert.Equal(["www is an alias for web.example.test", "web.example.test has address 192.0.2.7"], NameLookup.Describe(answer));
    }

    [Fact]
    public void CaseAndATrailingDotAreNotAnAlias()
    {
        var answer = new ForwardAnswer("LocalHost.", "localhost", [IPAddress.Loopback]);
        Assert.Equal(["localhost has address 127.0.0.1"], NameLookup.Describe(answer));
    }

    [Fact]
    public void ReverseIsOneLine() => Assert.Equal("127.0.0.1 is localhost", NameLookup.DescribeReverse(IPAddress.Loopback, "localhost"));
}
