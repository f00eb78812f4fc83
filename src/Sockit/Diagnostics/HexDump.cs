using System.Buffers;
using System.Globalization;

namespace Sockit.Diagnostics;

/// <summary>Which way bytes went, from this process's point of view.</summary>
internal enum DataDirection
{
    /// <summary>Written to the peer; dumped with a <c>&gt;</c> marker.</summary>
    Sent,
    /// <summary>Read from the peer; dumped with a <c>&lt;</c> marker.</summary>
    Received,
}

/// <summary>
/// Dumps traffic as <c>hexdump -C</c> lines behind a direction marker, with a running offset per direction:
/// <code>&gt; 00000000  48 65 6c 6c 6f 0a                                 |Hello.|</code>
/// Each chunk starts a new line at its direction's offset, so lines show exactly how the bytes arrived.
/// Lines are formatted on the stack; only the writer's own buffering allocates.
/// </summary>
internal sealed class HexDump
{
    /// <summary>Bytes shown per line.</summary>
    public const int BytesPerLine = 16;

    /// <summary>The longest line <see cref="FormatLine"/> writes, newline included (a 16-digit offset).</summary>
    public const int MaxLineLength = 2 + 16 + 2 + (BytesPerLine * 3) + 1 + 2 + BytesPerLine + 2;

    private readonly TextWriter _output;
    private readonly Lock _gate = new();
    private long _sent, _received;

    /// <summary>Creates a dump that writes whole lines to <paramref name="output"/> (not flushed here).</summary>
    public HexDump(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes dumped so far in the <see cref="DataDirection.Sent"/> direction (the next sent offset).</summary>
    public long SentBytes => Volatile.Read(ref _sent);

    /// <summary>Bytes dumped so far in the <see cref="DataDirection.Received"/> direction (the next received offset).</summary>
    public long ReceivedBytes => Volatile.Read(ref _received);

    /// <summary>
    /// Dumps one chunk going <paramref name="direction"/> and advances that direction's offset. Thread-safe:
    /// the two directions may call at once, and a chunk's lines are never interleaved with another's.
    /// </summary>
    public void Write(DataDirection direction, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        Span<char> line = stackalloc char[MaxLineLength];
        lock (_gate)
        {
            ref long offset = ref direction == DataDirection.Sent ? ref _sent : ref _received;
            for (int start = 0; start < data.Length; start += BytesPerLine)
            {
                ReadOnlySpan<byte> chunk = data.Slice(start, Math.Min(BytesPerLine, data.Length - start));
                int length = FormatLine(line, direction, offset + start, chunk);
                _output.Write(line[..length]);
            }
            offset += data.Length;
        }
    }

    /// <summary>
    /// Stateless form: appends the lines for <paramref name="data"/>, numbered from <paramref name="offset"/>,
    /// to <paramref name="output"/>.
    /// </summary>
    public static void Write(IBufferWriter<char> output, DataDirection direction, long offset, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(output);
        for (int start = 0; start < data.Length; start += BytesPerLine)
        {
            ReadOnlySpan<byte> chunk = data.Slice(start, Math.Min(BytesPerLine, data.Length - start));
            int length = FormatLine(output.GetSpan(MaxLineLength), direction, offset + start, chunk);
            output.Advance(length);
        }
    }

    /// <summary>
    /// Formats one line (up to <see cref="BytesPerLine"/> bytes) into <paramref name="destination"/>, which must
    /// hold <see cref="MaxLineLength"/> characters, and returns its length, the final <c>'\n'</c> included.
    /// </summary>
    public static int FormatLine(Span<char> destination, DataDirection direction, long offset, ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes.Length, BytesPerLine, nameof(bytes));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLineLength, nameof(destination));
        int at = 0;
        destination[at++] = direction == DataDirection.Sent ? '>' : '<';
        destination[at++] = ' ';
        offset.TryFormat(destination[at..], out int written, "x8", CultureInfo.InvariantCulture);
        at += written;
        destination[at++] = ' ';
        destination[at++] = ' ';
        for (int i = 0; i < BytesPerLine; i++)
        {
            if (i == BytesPerLine / 2) destination[at++] = ' ';
            if (i < bytes.Length)
            {
                destination[at++] = HexDigit(bytes[i] >> 4);
                destination[at++] = HexDigit(bytes[i] & 0xf);
            }
            else
            {
                destination[at++] = ' ';
                destination[at++] = ' ';
            }
            destination[at++] = ' ';
        }
        destination[at++] = ' ';
        destination[at++] = '|';
        foreach (byte b in bytes)
            destination[at++] = b is >= 0x20 and < 0x7f ? (char)b : '.';
        destination[at++] = '|';
        destination[at++] = '\n';
        return at;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
}
