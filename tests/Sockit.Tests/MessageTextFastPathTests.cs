using System.Text;
using Sockit.Protocols.Grumpy;

namespace Sockit.Tests;

/// <summary>The printable-ASCII shortcut in <see cref="MessageText.ForLog"/> gives exactly what the general path gives.</summary>
public sealed class MessageTextFastPathTests
{
    [Theory]
    [InlineData(" edges: space and tilde ~", " edges: space and tilde ~")]
    [InlineData("del\u007fescaped", "del\\x7fescaped")]
    [InlineData("ascii then é", "ascii then é")]
    [InlineData("carriage\r return", "carriage\\x0d return")]
    [InlineData("", "")]
    public void FormatsTheSameOnEitherSideOfTheShortcut(string input, string expected)
        => Assert.Equal(expected, MessageText.ForLog(Encoding.UTF8.GetBytes(input + "\r\n")));

    [Fact]
    public void EveryPrintableAsciiByteStaysAsItIs()
    {
        byte[] all = Enumerable.Range(0x20, 0x7f - 0x20).Select(b => (byte)b).ToArray();
        Assert.Equal(Encoding.ASCII.GetString(all), MessageText.ForLog(all));
    }

    [Fact]
    public void EveryControlByteIsEscapedInLowerCaseHex()
    {
        for (int b = 0; b < 0x20; b++)
        {
            if (b is '\t' or '\n' or '\r') continue;
            Assert.Equal($"a\\x{b:x2}z", MessageText.ForLog([(byte)'a', (byte)b, (byte)'z']));
        }
    }
}
