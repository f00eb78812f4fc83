using Sockit.Scan;

namespace Sockit.Tests;

public sealed class PortListTests
{
    [Theory]
    [InlineData("80", new[] { 80 })]
    [InlineData("1-3", new[] { 1, 2, 3 })]
    [InlineData("22,80,8000-8002", new[] { 22, 80, 8000, 8001, 8002 })]
    [InlineData("443,22,80", new[] { 22, 80, 443 })]
    [InlineData("5-7,6,5", new[] { 5, 6, 7 })]
    [InlineData("65535", new[] { 65535 })]
    [InlineData("7-7", new[] { 7 })]
    public void ListsAndRangesBecomeSortedDistinctPorts(string text, int[] ports)
        => Assert.Equal(ports, PortList.Parse(text));

    [Fact]
    public void TheWholeRangeIsEveryPort()
    {
        var ports = PortList.Parse("1-65535");
        Assert.Equal(65535, ports.Count);
        Assert.Equal(1, ports[0]);
        Assert.Equal(65535, ports[^1]);
    }

    [Theory]
    [InlineData("0", "invalid port '0': must be a number from 1 to 65535")]
    [InlineData("70000", "invalid port '70000': must be a number from 1 to 65535")]
    [InlineData("5-3", "invalid port range '5-3': 5 is greater than 3")]
    [InlineData("abc", "invalid port 'abc': must be a number from 1 to 65535")]
    [InlineData("1-abc", "invalid port 'abc': must be a number from 1 to 65535")]
    [InlineData("0-10", "invalid port '0': must be a number from 1 to 65535")]
    [InlineData("-5", "invalid port '-5': give a port such as 80 or a range such as 1-1024")]
    [InlineData("1-2-3", "invalid port '2-3': must be a number from 1 to 65535")]
    [InlineData("80,,81", "invalid port '': give a port such as 80 or a range such as 1-1024")]
    [InlineData(" 80", "invalid port ' 80': must be a number from 1 to 65535")]
    [InlineData("", "empty port list: give ports such as 80, 1-1024 or 22,80,8000-8100")]
    public void BadListsSayWhichPartIsWrong(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => PortList.Parse(text));
        Assert.Equal(message, error.Message);
    }
}
