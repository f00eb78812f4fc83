using Sockit.Cli;
using Sockit.Cli.Commands;
using Sockit.Endpoints;

namespace Sockit.Tests;

public sealed class RelayListenSpecTests
{
    [Theory]
    [InlineData("9000", null, 9000)]
    [InlineData("127.0.0.1:9000", "127.0.0.1", 9000)]
    [InlineData("[::1]:0", "::1", 0)]
    public void ListenTakesPortOrAddressAndPort(string text, string? host, int port)
        => Assert.Equal(EndpointSpec.Ip(host, port), RelayCommand.ListenSpec(text, IpFamily.Any));

    [Theory]
    [InlineData("example.com:80", "[Server address error]")]
    [InlineData("127.0.0.1:http", "[Server port error]")]
    [InlineData("70000", "[Server port error]")]
    public void BadListenSpecIsOneUserErrorLine(string text, string prefix)
    {
        var error = Assert.Throws<UserError>(() => RelayCommand.ListenSpec(text, IpFamily.Any));
        Assert.StartsWith(prefix, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
