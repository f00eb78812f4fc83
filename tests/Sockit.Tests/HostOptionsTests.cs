using Sockit.Endpoints;
using Sockit.Hosting;

namespace Sockit.Tests;

public sealed class HostOptionsTests
{
    [Fact]
    public void NegativeBusyPollIsRefused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new HostOptions { Endpoint = EndpointSpec.Ip(null, 0), BusyPoll = TimeSpan.FromTicks(-1) });

    [Fact]
    public void BusyPollKeepsZeroAndNullApart()
    {
        var options = new HostOptions { Endpoint = EndpointSpec.Ip(null, 0) };
        Assert.Null(options.BusyPoll); // the protocol's default
        Assert.Equal(TimeSpan.Zero, (options with { BusyPoll = TimeSpan.Zero }).BusyPoll); // never spin
    }
}
