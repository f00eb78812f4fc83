using System.Text;
using Sockit.Protocols.Broker;

namespace Sockit.Tests;

/// <summary>Chat lines as the others receive them: a prefix per line, ncat's <c>\ooo</c> escapes, any output size.</summary>
public sealed class ChatFramingTests
{
    private static readonly byte[] Prefix = "<user5> "u8.ToArray();

    [Theory]
    [InlineData("hello\n", "<user5> hello\n")]
    [InlineData("two\nlines\n", "<user5> two\n<user5> lines\n")]
    [InlineData("tab\tcr\r\n", "<user5> tab\tcr\r\n")]
    [InlineData("\u0001\u001b[m\u007f\n", "<user5> \\001\\033[m\\177\n")]
    public void NcatFormatPrefixesEachLineAndEscapesControlBytes(string input, string expected)
        => Assert.Equal(expected, Frame(Encoding.Latin1.GetBytes(input), ChatFormat.Ncat, outputSize: 4096));

    [Fact]
    public void NcatEscapesUtf8WhileTheSeedFormatPassesIt()
    {
        byte[] input = Encoding.UTF8.GetBytes("é\n");
        Assert.Equal("<user5> \\303\\251\n", Frame(input, ChatFormat.Ncat, 4096));
        Assert.Equal("<user5> \u00c3\u00a9\n", Frame(input, ChatFormat.Seed, 4096));
    }

    [Fact]
    public void OutputSmallerThanTheInputIsFilledInTurnsWithOnePrefixPerLine()
    {
        byte[] input = Encoding.Latin1.GetBytes("a fairly long line of chat\n\u0001\n");
        Assert.Equal(Frame(input, ChatFormat.Ncat, 4096), Frame(input, ChatFormat.Ncat, Prefix.Length + ChatFraming.LongestEscape));
    }

    private static string Frame(byte[] input, ChatFormat format, int outputSize)
    {
        var all = new StringBuilder();
        byte[] output = new byte[outputSize];
        int consumed = 0;
        bool atLineStart = true;
        while (consumed < input.Length)
        {
            int written = ChatFraming.Frame(input, ref consumed, ref atLineStart, Prefix, format, output);
            Assert.True(written > 0, "no progress");
            all.Append(Encoding.Latin1.GetString(output, 0, written));
        }
        return all.ToString();
    }
}
