using Sockit.Endpoints;

namespace Sockit.Tests;

public sealed class PortNumberTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("10001", 10001)]
    [InlineData("65535", 65535)]
    public void ValidPortsParse(string text, int port) => Assert.Equal(port, PortNumber.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" 80")]
    public void InvalidPortsSayWhatIsAllowed(string text)
    {
        var error = Assert.Throws<FormatException>(() => PortNumber.Parse(text));
        Assert.Contains("1 to 65535", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0100")]
    [InlineData("080")]
    [InlineData("00")]
    public void ALeadingZeroIsRefusedAsAmbiguous(string text)
    {
        var error = Assert.Throws<FormatException>(() => PortNumber.Parse(text, allowZero: true));
        Assert.Contains("leading zero is ambiguous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenersMayAskForPortZero() => Assert.Equal(0, PortNumber.Parse("0", allowZero: true));
}
