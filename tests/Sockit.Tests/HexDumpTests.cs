using System.Buffers;
using System.Text;
using Sockit.Diagnostics;

namespace Sockit.Tests;

/// <summary>Expected lines are <c>hexdump -C</c>'s output for the same bytes, behind the direction marker.</summary>
public sealed class HexDumpTests
{
    [Fact]
    public void AShortSentChunkIsOnePaddedLine()
    {
        Assert.Equal(
            "> 00000000  48 65 6c 6c 6f 0a                                 |Hello.|\n",
            Dump(d => d.Write(DataDirection.Sent, "Hello\n"u8)));
    }

    [Fact]
    public void LongChunksSplitIntoSixteenByteLinesWithUnprintablesAsDots()
    {
        byte[] data = [.. "The quick brown fox jumps over"u8, 0x00, 0x01, 0xff, .. " the lazy dog"u8];
        Assert.Equal(
            "< 00000000  54 68 65 20 71 75 69 63  6b 20 62 72 6f 77 6e 20  |The quick brown |\n" +
            "< 00000010  66 6f 78 20 6a 75 6d 70  73 20 6f 76 65 72 00 01  |fox jumps over..|\n" +
            "< 00000020  ff 20 74 68 65 20 6c 61  7a 79 20 64 6f 67        |. the lazy dog|\n",
            Dump(d => d.Write(DataDirection.Received, data)));
    }

    [Fact]
    public void EachDirectionKeepsItsOwnRunningOffset()
    {
        string text = Dump(d =>
        {
            d.Write(DataDirection.Sent, "Hello\n"u8);
            d.Write(DataDirection.Received, "Hi\n"u8);
            d.Write(DataDirection.Sent, "bye\n"u8);
            d.Write(DataDirection.Received, ReadOnlySpan<byte>.Empty);
            Assert.Equal((10L, 3L), (d.SentBytes, d.ReceivedBytes));
        });
        Assert.Equal(
            "> 00000000  48 65 6c 6c 6f 0a                                 |Hello.|\n" +
            "< 00000000  48 69 0a                                          |Hi.|\n" +
            "> 00000006  62 79 65 0a                                       |bye.|\n",
            text);
    }

    [Fact]
    public void AFullLineHasNoPaddingAndAllLinesHaveTheSameWidth()
    {
        byte[] data = new byte[20];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)('a' + i);
        string[] lines = Dump(d => d.Write(DataDirection.Sent, data)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("> 00000000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|", lines[0]);
        Assert.Equal("> 00000010  71 72 73 74                                       |qrst|", lines[1]);
        Assert.Equal(lines[0].IndexOf('|', StringComparison.Ordinal), lines[1].IndexOf('|', StringComparison.Ordinal));
    }

    [Fact]
    public void OffsetsPastFourGibibytesWiden()
    {
        Span<char> line = stackalloc char[HexDump.MaxLineLength];
        int length = HexDump.FormatLine(line, DataDirection.Received, 0x1_0000_0010, "A"u8);
        Assert.Equal("< 100000010  41                                                |A|\n", line[..length].ToString());
        length = HexDump.FormatLine(line, DataDirection.Sent, long.MaxValue, new byte[16]);
        Assert.Equal(HexDump.MaxLineLength, length);
    }

    [Fact]
    public void TheBufferWriterFormMatchesTheTextWriterForm()
    {
        byte[] data = Encoding.ASCII.GetBytes("0123456789abcdefXYZ");
        var buffer = new ArrayBufferWriter<char>();
        HexDump.Write(buffer, DataDirection.Sent, 32, data);
        Assert.Equal(
            "> 00000020  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n" +
            "> 00000030  58 59 5a                                          |XYZ|\n",
            buffer.WrittenSpan.ToString());
    }

    private static string Dump(Action<HexDump> write)
    {
        using var output = new StringWriter();
        write(new HexDump(output));
        return output.ToString();
    }
}
