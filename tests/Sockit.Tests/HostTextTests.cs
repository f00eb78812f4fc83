using System.Net;
using Sockit.Endpoints;

namespace Sockit.Tests;

public sealed class HostTextTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.1")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("[fe80::1%1]", "fe80::1%1")]
    [InlineData("localhost", "localhost")]
    [InlineData("example.org.", "example.org.")]
    [InlineData("my_host-1.lan", "my_host-1.lan")]
    public void WellFormedHostsPass(string text, string expected) => Assert.Equal(expected, HostText.Check(text));

    [Theory]
    [InlineData("1.2.3.4.5", "not an IPv4 address")]
    [InlineData("1.2.3.256", "not an IPv4 address")]
    [InlineData("example.123", "not an IPv4 address")]
    [InlineData("::1::1", "a colon belongs only in an IPv6 address")]
    [InlineData("127.0.0.1:", "a colon belongs only in an IPv6 address")]
    [InlineData("127.0.0.1:80", "a colon belongs only in an IPv6 address")]
    [InlineData("[::1", "brackets must enclose")]
    [InlineData("::1]", "brackets must enclose")]
    [InlineData("[::1]:80", "brackets must enclose")]
    [InlineData("[127.0.0.1]", "brackets hold an IPv6 address")]
    [InlineData("[]", "brackets must enclose")]
    [InlineData("", "empty")]
    [InlineData("my host", "a space cannot appear")]
    [InlineData("a..b", "each dot-separated part")]
    [InlineData("-x", "cannot start with '-'")]
    [InlineData("a/b", "'/' cannot appear")]
    public void MalformedHostsAreRefusedWithTheReason(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => HostText.Check(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ListenAddressesMustBeLiterals()
    {
        Assert.Equal(IPAddress.IPv6Loopback, HostText.Literal("[::1]"));
        Assert.Equal(IPAddress.Loopback, HostText.Literal("127.0.0.1"));
        Assert.Throws<FormatException>(() => HostText.Literal("localhost"));
        Assert.Throws<FormatException>(() => HostText.Literal("[::1"));
    }
}
