using Sockit.Cli;
using Sockit.Cli.Commands;

namespace Sockit.Tests;

public sealed class ValueParsersTests
{
    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5s", 1_500)]
    public void DurationsAcceptUnits(string text, int milliseconds)
        => Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ValueParsers.Duration(text, "--timeout"));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("soon")]
    public void BadDurationsAreUserErrors(string text)
        => Assert.Throws<UserError>(() => ValueParsers.Duration(text, "--timeout"));

    [Theory]
    [InlineData("65536", 65536)]
    [InlineData("64k", 65536)]
    [InlineData("64KiB", 65536)]
    [InlineData("1MiB", 1048576)]
    public void SizesAcceptBinarySuffixes(string text, int bytes) => Assert.Equal(bytes, ValueParsers.Size(text, "--max-message"));

    [Fact]
    public void ModesAreOctal() => Assert.Equal((UnixFileMode)0x1B0, ValueParsers.Mode("660"));
}
