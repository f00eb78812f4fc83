using System.Text;
using Sockit.Protocols.Grumpy;

namespace Sockit.Tests;

public sealed class MessageTextTests
{
    [Theory]
    [InlineData("Hello server, would you like to chat?\n", "Hello server, would you like to chat?")]
    [InlineData("crlf line\r\n", "crlf line")]
    [InlineData("no newline", "no newline")]
    [InlineData("tab\tstays\n", "tab\tstays")]
    [InlineData("caf\u00e9 \u00fcber\n", "caf\u00e9 \u00fcber")]
    [InlineData("", "")]
    public void TextMessagesAppearAsTyped(string sent, string logged)
        => Assert.Equal(logged, MessageText.ForLog(Encoding.UTF8.GetBytes(sent)));

    [Fact]
    public void ControlAndNonUtf8BytesAreEscapedNotDropped()
    {
        byte[] message = [0x00, (byte)'a', 0x1b, (byte)'\n', 0xff, 0xc3];
        Assert.Equal("\\x00a\\x1b\\x0a\\xff\\xc3", MessageText.ForLog(message));
    }

    [Fact]
    public void OnlyOneTrailingLineEndingIsDropped()
        => Assert.Equal("two\\x0a", MessageText.ForLog("two\n\n"u8));
}
