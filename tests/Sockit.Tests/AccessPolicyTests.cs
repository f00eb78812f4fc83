using System.Net;
using System.Net.Sockets;
using Sockit.Access;

namespace Sockit.Tests;

public sealed class AccessPolicyTests
{
    private static AccessPolicy Build(AccessPolicyBuilder builder, Sockit.Transports.HostResolver? resolver = null)
        => builder.BuildAsync(resolver).GetAwaiter().GetResult();

    private static bool Allowed(AccessPolicy policy, string address) => policy.IsAllowed(IPAddress.Parse(address));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("0177.0.0.1")]
    public void DenyOfAnIPv4AddressRefusesEverySpellingOfIt(string client)
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Deny("127.0.0.1"));
        Assert.False(Allowed(policy, client));
        Assert.True(Allowed(policy, "127.0.0.2"));
        Assert.True(Allowed(policy, "::1"));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("2130706433")]
    [InlineData("127.1")]
    public void EntriesInAnyIPv4SpellingMatchThePlainAddress(string entry)
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Deny(entry));
        Assert.False(Allowed(policy, "127.0.0.1"));
        Assert.False(Allowed(policy, "::ffff:127.0.0.1"));
        Assert.True(Allowed(policy, "127.0.0.2"));
    }

    [Fact]
    public void LoopbackV6IsNotTheIPv4CompatibleZeroZeroZeroOne()
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Deny("0.0.0.1, 0.0.0.0/8"));
        Assert.True(Allowed(policy, "::1"));
        Assert.True(Allowed(policy, "::"));
        Assert.False(Allowed(policy, "0.0.0.1"));
    }

    [Fact]
    public void AllowListsWithCidrRangesServeOnlyTheirMembers()
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Allow("10.0.0.0/8,2001:db8::/32").Allow("::1"));
        Assert.True(Allowed(policy, "10.255.0.1"));
        Assert.True(Allowed(policy, "::ffff:10.1.2.3"));
        Assert.True(Allowed(policy, "2001:db8:ffff::1"));
        Assert.True(Allowed(policy, "::1"));
        Assert.False(Allowed(policy, "11.0.0.1"));
        Assert.False(Allowed(policy, "2001:db9::1"));
        Assert.False(Allowed(policy, "127.0.0.1"));
    }

    [Fact]
    public void HostBitsOfARangeAreIgnoredAsNmapReadsThem()
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Allow("192.168.0.77/24"));
        Assert.True(Allowed(policy, "192.168.0.1"));
        Assert.False(Allowed(policy, "192.168.1.1"));
    }

    [Fact]
    public void MappedIPv6RangeCoversEveryIPv4Client()
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Deny("::ffff:0:0/96"));
        Assert.False(Allowed(policy, "8.8.8.8"));
        Assert.True(Allowed(policy, "::1"));
    }

    [Fact]
    public void AClientOnBothListsIsRefusedAsNcatDoes()
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Allow("127.0.0.0/8").Deny("127.0.0.2"));
        Assert.True(Allowed(policy, "127.0.0.1"));
        AccessDecision decision = policy.Check(IPAddress.Parse("::ffff:127.0.0.2"));
        Assert.False(decision.Allowed);
        Assert.Equal("denied by --deny 127.0.0.2", decision.Reason);
    }

    [Fact]
    public void AClientOutsideTheAllowListIsRefusedWithNoRule()
    {
        AccessDecision decision = Build(new AccessPolicyBuilder().Allow("10.0.0.1")).Check(IPAddress.Loopback);
        Assert.False(decision.Allowed);
        Assert.Null(decision.Rule);
        Assert.StartsWith("not in the allow list", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoListsServeEveryone()
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder());
        Assert.Same(AccessPolicy.Open, policy);
        Assert.True(policy.IsOpen);
        Assert.True(Allowed(policy, "203.0.113.9"));
    }

    [Fact]
    public void FilesHoldEntriesPerLineWithCommentsAndBlankLines()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# trusted hosts\n\n127.0.0.2 127.0.0.3   # two on a line\n  # indented comment\n10.0.0.0/8,::1\r\n");
            AccessPolicy policy = Build(new AccessPolicyBuilder().AllowFile(path));
            Assert.Equal(["127.0.0.2", "127.0.0.3", "10.0.0.0/8", "::1"], policy.AllowRules.Select(r => r.Text));
            Assert.Equal($"--allowfile {path}:3", policy.AllowRules[0].Origin);
            Assert.True(Allowed(policy, "127.0.0.3"));
            Assert.False(Allowed(policy, "127.0.0.1"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnEmptyAllowFileServesNobody()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# nobody yet\n");
            AccessPolicy policy = Build(new AccessPolicyBuilder().AllowFile(path));
            Assert.True(policy.HasAllowList);
            Assert.False(Allowed(policy, "127.0.0.1"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ABadEntryInAFileNamesTheFileAndLine()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "127.0.0.1\n# fine\n300.1.1.1\n");
            var e = Assert.Throws<AccessListException>(() => Build(new AccessPolicyBuilder().DenyFile(path)));
            Assert.StartsWith($"--denyfile {path}:3: invalid entry '300.1.1.1'", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AMissingFileIsOneLine()
    {
        var e = Assert.Throws<AccessListException>(() => Build(new AccessPolicyBuilder().AllowFile("/nonexistent/allow.txt")));
        Assert.StartsWith("cannot read --allowfile '/nonexistent/allow.txt'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("10/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/x")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("example.org/24")]
    [InlineData("192.168.0.1-20")]
    [InlineData("10.*.0.1")]
    [InlineData("[::1")]
    [InlineData("::1::1")]
    [InlineData("127.0.0.1:80")]
    [InlineData("a..b")]
    public void ABadEntryIsOneLineNamingIt(string entry)
    {
        var e = Assert.Throws<AccessListException>(() => new AccessPolicyBuilder().Deny(entry));
        Assert.StartsWith($"--deny: invalid entry '{entry}'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void HostNamesResolveOnceToEveryAddress()
    {
        int lookups = 0;
        AccessPolicy policy = Build(new AccessPolicyBuilder().Allow("trusted.test"), (host, family, _) =>
        {
            lookups++;
            Assert.Equal("trusted.test", host);
            Assert.Equal(AddressFamily.Unspecified, family);
            return Task.FromResult(new[] { IPAddress.Parse("127.0.0.5"), IPAddress.Parse("2001:db8::5") });
        });
        Assert.Equal(1, lookups);
        Assert.Equal(2, policy.AllowRules[0].RangeCount);
        Assert.True(Allowed(policy, "::ffff:127.0.0.5"));
        Assert.True(Allowed(policy, "2001:db8::5"));
        Assert.False(Allowed(policy, "127.0.0.1"));
        Assert.Equal(1, lookups);
    }

    [Fact]
    public void ANameThatDoesNotResolveIsOneLine()
    {
        var e = Assert.Throws<AccessListException>(() => Build(new AccessPolicyBuilder().Deny("nosuch.test"),
            (_, _, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound))));
        Assert.Equal("--deny: host 'nosuch.test' does not resolve: EAI_NONAME", e.Message);
    }

    [Fact]
    public void APeerWithoutAnIPAddressIsNotJudged()
    {
        AccessPolicy policy = Build(new AccessPolicyBuilder().Allow("10.0.0.1"));
        Assert.True(policy.Check(new UnixDomainSocketEndPoint("/tmp/x.sock")).Allowed);
        Assert.False(policy.Check(new IPEndPoint(IPAddress.Loopback, 1)).Allowed);
    }
}
