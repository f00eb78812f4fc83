using System.Text;

namespace Sockit.Protocols.Grumpy;

/// <summary>
/// Turns received bytes into one printable log line: the line ending is dropped, UTF-8 text is kept as is,
/// and control characters or bytes that are not UTF-8 appear as <c>\xNN</c>, so a binary message can never
/// break the log into pieces or corrupt the terminal, and every byte is still accounted for.
/// </summary>
internal static class MessageText
{
    /// <summary>Formats <paramref name="message"/> for a single log line.</summary>
    public static string ForLog(ReadOnlySpan<byte> message)
    {
        message = TrimLineEnding(message);
        // The common case, a printable ASCII line, needs no escaping: one allocation, the string itself.
        if (message.IndexOfAnyExceptInRange((byte)' ', (byte)'~') < 0)
            return Encoding.ASCII.GetString(message);
        var text = new StringBuilder(message.Length);
        Span<char> utf16 = stackalloc char[2];
        while (!message.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(message, out Rune rune, out int used);
            if (status != System.Buffers.OperationStatus.Done)
            {
                AppendEscaped(text, message[0]);
                message = message[1..];
                continue;
            }
            if (Rune.IsControl(rune) && rune.Value != '\t')
                AppendEscaped(text, (byte)rune.Value);
            else
                text.Append(utf16[..rune.EncodeToUtf16(utf16)]);
            message = message[used..];
        }
        return text.ToString();
    }

    /// <summary>Drops one trailing <c>\n</c> or <c>\r\n</c>.</summary>
    public static ReadOnlySpan<byte> TrimLineEnding(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\n"u8)) line = line[..^1];
        if (line.EndsWith("\r"u8)) line = line[..^1];
        return line;
    }

    private static void AppendEscaped(StringBuilder text, byte value)
        => text.Append("\\x").Append(HexDigits[value >> 4]).Append(HexDigits[value & 0xf]);

    private const string HexDigits = "0123456789abcdef";
}
