using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>Expected failures of serve and connect: one line on stderr, exit 1, never a stack trace.</summary>
public sealed class ErrorTests
{
    private static async Task<string> FailsWithOneLineAsync(params string[] arguments)
    {
        await using var sockit = RunningProcess.Sockit(arguments);
        Assert.Equal(1, await sockit.WaitForExitAsync());
        string stderr = sockit.Stderr;
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(sockit.StdoutLines);
        return stderr.TrimEnd('\n');
    }

    [Fact]
    public async Task ServeOnAPortInUseSaysAddressAlreadyInUse()
    {
        await using var server = await ServerProcess.StartAsync();
        string error = await FailsWithOneLineAsync("serve", server.Port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("[Server bind error]: Address already in use", error);
    }

    [Fact]
    public async Task ConnectToAClosedPortSaysConnectionRefused()
    {
        string error = await FailsWithOneLineAsync("connect", "127.0.0.1", FreePort.Closed().ToString(CultureInfo.InvariantCulture));
        Assert.Equal("[Client connect error]: Connection refused", error);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect", "--udp")]
    public async Task ConnectToAMissingUnixPathNamesTheFile(params string[] arguments)
    {
        using var dir = new TempDir();
        string path = dir.File("nobody-here.sock");
        string error = await FailsWithOneLineAsync([.. arguments, "--unix", path]);
        Assert.Equal($"[Client connect error]: {path}: No such file or directory", error);
    }

    [Theory]
    [InlineData("70000", "[Server port error]: invalid port '70000'", "serve", "70000")]
    [InlineData("abc", "[Server port error]: invalid port 'abc'", "serve", "abc")]
    [InlineData("-1", "[Server port error]: invalid port '-1'", "serve", "-1")]
    [InlineData("0", "[Client port error]: invalid port '0'", "connect", "127.0.0.1", "0")]
    [InlineData("70000", "[Client port error]: invalid port '70000'", "connect", "127.0.0.1", "70000")]
    public async Task BadPortsAreNamed(string port, string expectedStart, params string[] arguments)
    {
        string error = await FailsWithOneLineAsync(arguments);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
        Assert.Contains(port, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Usage]: sockit serve PORT", "serve")]
    [InlineData("[Usage]: sockit connect SERVER PORT", "connect")]
    [InlineData("[Usage]: sockit connect SERVER PORT", "connect", "127.0.0.1")]
    public async Task MissingArgumentsPrintTheUsage(string expected, params string[] arguments)
        => Assert.Equal(expected, await FailsWithOneLineAsync(arguments));

    [Fact]
    public async Task UnresolvableNameSaysSo()
    {
        string error = await FailsWithOneLineAsync("connect", "nosuch.invalid", "10001");
        Assert.StartsWith("[Client resolve error]: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindToANonAddressSaysSo()
    {
        string error = await FailsWithOneLineAsync("serve", "0", "--bind", "not-an-address");
        Assert.StartsWith("[Server address error]: ", error, StringComparison.Ordinal);
        Assert.Contains("'not-an-address'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindWithUnixIsRejected()
    {
        using var dir = new TempDir();
        string error = await FailsWithOneLineAsync("serve", "--unix", dir.File("x.sock"), "--bind", "127.0.0.1");
        Assert.Contains("--bind", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.sock")));
    }

    [Fact]
    public async Task IPv6OnlyServerRefusesIPv4Clients()
    {
        await using var server = await ServerProcess.StartAsync("-6");
        string error = await FailsWithOneLineAsync("connect", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("[Client connect error]: Connection refused", error);
    }
}
