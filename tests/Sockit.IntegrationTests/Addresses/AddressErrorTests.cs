using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Addresses;

/// <summary>Bad addresses and pairs are one line on stderr and exit 1, before anything is opened.</summary>
public sealed class AddressErrorTests
{
    [Theory]
    [InlineData("tcp-listen:0,forkk", "-", "unknown option 'forkk' in address 'tcp-listen:0,forkk'")]
    [InlineData("-", "tcpp:127.0.0.1:80", "unknown address type 'tcpp'")]
    [InlineData("-", "tcp:127.0.0.1:80,fork", "option 'fork' does not apply to tcp:")]
    [InlineData("tcp-listen:0,fork", "tcp-listen:0", "cannot listen behind")]
    [InlineData("tcp-listen:0", "udp-listen:0", "udp-listen: can only be the first address")]
    [InlineData("tcp-listen:0,fork", "-", "stdio cannot serve every client")]
    [InlineData("-", "stdio", "stdio cannot be both addresses")]
    [InlineData("-", "tls:127.0.0.1:443,pin=sha1:00", "a pin is sha256:HEX")]
    [InlineData("tls-listen:0,verify=0", "-", "option 'verify' does not apply to tls-listen:")]
    [InlineData("-", "exec:", "expected exec:PROGRAM")]
    public async Task BadAddressOrPairIsOneLineAndExit1(string first, string second, string expected)
    {
        await using var relay = RunningProcess.Sockit("relay", first, second);
        Assert.Equal(1, await relay.WaitForExitAsync());
        string[] lines = relay.Stderr.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.Empty(relay.StdoutLines);
    }

    [Fact]
    public async Task RefusedSecondAddressOfOneConnectionIsOneLineAndExit1()
    {
        await using var relay = RunningProcess.Sockit("relay", "-", $"tcp:127.0.0.1:{FreePort.Closed()}");
        relay.Input.Close();
        Assert.Equal(1, await relay.WaitForExitAsync());
        Assert.Equal("[Relay connect error]: Connection refused", relay.Stderr.TrimEnd());
    }

    [Fact]
    public async Task FourOrSixFlagWithAddressesPointsToTheAddressOption()
    {
        await using var relay = RunningProcess.Sockit("relay", "-4", "-", "tcp:127.0.0.1:80");
        Assert.Equal(1, await relay.WaitForExitAsync());
        Assert.Contains("in an address write ,4 or ,6", relay.Stderr, StringComparison.Ordinal);
    }
}
