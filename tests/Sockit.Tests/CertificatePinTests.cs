using Sockit.Security;

namespace Sockit.Tests;

public sealed class CertificatePinTests
{
    private const string Hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Theory]
    [InlineData("sha256:" + Hex)]
    [InlineData("SHA256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [InlineData("sha256:9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15:B0:F0:0A:08")]
    public void PinsParseInEitherCaseWithOrWithoutColonsAndPrintLowerCase(string text)
        => Assert.Equal("sha256:" + Hex, CertificatePin.Parse(text).ToString());

    [Theory]
    [InlineData(Hex)]
    [InlineData("sha1:" + Hex)]
    [InlineData("sha256:" + "9f86d081")]
    [InlineData("sha256:" + "zz86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("sha256:")]
    public void MalformedPinsSayWhatAPinIs(string text)
    {
        var error = Assert.Throws<FormatException>(() => CertificatePin.Parse(text));
        Assert.Contains("sha256:", error.Message, StringComparison.Ordinal);
        Assert.Contains("64 hex digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PinOfTheEphemeralCertificateMatchesItAndNoOther()
    {
        var one = TlsCertificates.CreateEphemeral();
        var two = TlsCertificates.CreateEphemeral();
        Assert.True(one.Pin.Matches(one.Certificate));
        Assert.False(one.Pin.Matches(two.Certificate));
        Assert.Equal(one.Pin, CertificatePin.Parse(one.Pin.ToString()));
    }
}
