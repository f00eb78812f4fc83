using System.Net.Sockets;
using Sockit.Cli;
using Sockit.Cli.Commands;
using Sockit.Cli.Relay;
using Sockit.Endpoints;

namespace Sockit.Tests;

/// <summary>nc and ncat command-line habits under <c>sockit nc</c>: -U as a flag, port 31337 by default.</summary>
public sealed class NcHabitsTests
{
    [Theory]
    [InlineData(null, "-l")]
    [InlineData("127.0.0.1", "-l", "127.0.0.1")]
    [InlineData("::1", "-l", "[::1]")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void NcWithoutAPortUsesNcatsDefault(string? host, params string[] argv)
    {
        CatSettings s = CatCommand.Parse("nc", argv);
        Assert.Equal(EndpointSpec.Ip(host, CatEndpoints.NcDefaultPort), s.Endpoint);
        Assert.True(s.PortDefaulted);
    }

    [Fact]
    public void ALoneNumberAfterDashLIsThePort()
    {
        CatSettings s = CatCommand.Parse("nc", "-l", "9000");
        Assert.Equal(EndpointSpec.Ip(null, 9000), s.Endpoint);
        Assert.False(s.PortDefaulted);
        Assert.Equal(EndpointSpec.Ip("127.0.0.1", 9000), CatCommand.Parse("nc", "-l", "127.0.0.1", "-p", "9000").Endpoint);
    }

    [Theory]
    [InlineData("-l", "-l needs a PORT")]
    [InlineData("127.0.0.1", "[Usage]: sockit cat")]
    public void CatStillNeedsAPort(string argv, string expected)
    {
        var e = Assert.Throws<UserError>(() => CatCommand.Parse("cat", argv.Split(' ')));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NcDashUIsAFlagAndThePositionalIsThePath()
    {
        CatSettings listen = CatCommand.Parse("nc", "-U", "-l", "/tmp/s.sock");
        Assert.Equal(EndpointSpec.Unix("/tmp/s.sock"), listen.Endpoint);
        Assert.True(listen.Listen);
        Assert.Equal(EndpointSpec.Unix("/tmp/s.sock"), CatCommand.Parse("nc", "--unixsock", "/tmp/s.sock").Endpoint);
    }

    [Fact]
    public void NcDashUWithDashSBindsTheClientToThatPath()
    {
        CatSettings s = CatCommand.Parse("nc", "-U", "--udp", "-s", "/tmp/c.sock", "/tmp/s.sock");
        Assert.Equal(EndpointSpec.Unix("/tmp/s.sock", SocketType.Dgram), s.Endpoint);
        Assert.Equal(EndpointSpec.Unix("/tmp/c.sock", SocketType.Dgram), s.Source);
        Assert.Equal(EndpointSpec.Unix("/tmp/c.sock"), CatCommand.Parse("nc", "-U", "-s", "/tmp/c.sock", "/tmp/s.sock").Source);
    }

    [Fact]
    public void CatKeepsUnixPathAsAnOptionValue()
        => Assert.Equal(EndpointSpec.Unix("/tmp/x.sock"), CatCommand.Parse("cat", "-U", "/tmp/x.sock").Endpoint);
}
