using System.Net;
using Sockit.Transports;

namespace Sockit.Tests;

public sealed class HappyEyeballsOrderTests
{
    private static EndPoint At(string address) => new IPEndPoint(IPAddress.Parse(address), 80);

    [Fact]
    public void FamiliesAlternateStartingWithIPv6EachInResolverOrder()
    {
        EndPoint[] resolved = [At("192.0.2.1"), At("192.0.2.2"), At("192.0.2.3"), At("2001:db8::1"), At("2001:db8::2")];

        IReadOnlyList<EndPoint> order = HappyEyeballs.Interleave(resolved);

        Assert.Equal(["[2001:db8::1]:80", "192.0.2.1:80", "[2001:db8::2]:80", "192.0.2.2:80", "192.0.2.3:80"], order.Select(e => e.ToString()));
    }

    [Fact]
    public void OneFamilyKeepsResolverOrder()
    {
        EndPoint[] resolved = [At("192.0.2.2"), At("192.0.2.1")];

        Assert.Equal(resolved, HappyEyeballs.Interleave(resolved));
    }
}
