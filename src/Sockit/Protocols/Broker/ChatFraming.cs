namespace Sockit.Protocols.Broker;

/// <summary>Chat lines as the others receive them: the speaker's prefix at the start of each line, unsafe bytes as <c>\ooo</c>.</summary>
internal static class ChatFraming
{
    /// <summary>The longest a byte becomes (<c>\ooo</c>): the room an output needs beyond the prefix to always make progress.</summary>
    public const int LongestEscape = 4;

    /// <summary>
    /// Frames <paramref name="input"/> from <paramref name="consumed"/> on into <paramref name="output"/>, as far as it
    /// fits; returns the bytes written and advances <paramref name="consumed"/>. <paramref name="atLineStart"/> carries
    /// over between calls: a line is prefixed once, however many outputs it spans.
    /// </summary>
    public static int Frame(ReadOnlySpan<byte> input, ref int consumed, ref bool atLineStart, ReadOnlySpan<byte> prefix, ChatFormat format, Span<byte> output)
    {
        int written = 0;
        while (consumed < input.Length)
        {
            if (atLineStart)
            {
                if (written + prefix.Length + LongestEscape > output.Length) break;
                prefix.CopyTo(output[written..]);
                written += prefix.Length;
                atLineStart = false;
            }
            byte b = input[consumed];
            if (format.Passes(b))
            {
                if (written + 1 > output.Length) break;
                output[written++] = b;
            }
            else
            {
                if (written + LongestEscape > output.Length) break;
                output[written++] = (byte)'\\';
                output[written++] = (byte)('0' + (b >> 6));
                output[written++] = (byte)('0' + ((b >> 3) & 7));
                output[written++] = (byte)('0' + (b & 7));
            }
            consumed++;
            if (b == '\n') atLineStart = true;
        }
        return written;
    }
}
