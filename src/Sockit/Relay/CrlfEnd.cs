namespace Sockit.Relay;

/// <summary>
/// Turns every bare LF read from <paramref name="inner"/> into CRLF (nc's <c>-C</c>): what is read from this
/// end goes out with network line endings. A CR already before the LF, even across reads, is kept as is.
/// Writes pass through unchanged.
/// </summary>
public sealed class CrlfEnd(DuplexEnd inner) : DuplexEndDecorator(inner)
{
    private byte _previous;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        // A zero-byte read is a handler waiting for data without holding a buffer (echo, grumpy): pass it through.
        if (buffer.IsEmpty) return await Inner.ReadAsync(buffer, cancel).ConfigureAwait(false);
        if (buffer.Length < 2) throw new ArgumentException("CRLF translation needs a buffer of at least 2 bytes (or none)", nameof(buffer));
        int n = await Inner.ReadAsync(buffer[..(buffer.Length / 2)], cancel).ConfigureAwait(false);
        return n == 0 ? 0 : Expand(buffer.Span, n);
    }

    /// <summary>Expands in place, back to front; the buffer has room for every byte to double.</summary>
    internal int Expand(Span<byte> buffer, int count)
    {
        byte beforeChunk = _previous;
        int added = 0;
        for (int i = 0; i < count; i++)
            if (buffer[i] == (byte)'\n' && (i > 0 ? buffer[i - 1] : beforeChunk) != (byte)'\r') added++;
        _previous = buffer[count - 1];
        int total = count + added, write = total;
        // Only indexes at or above i are written, so buffer[i - 1] is still the original byte.
        for (int i = count - 1; i >= 0 && added > 0; i--)
        {
            byte b = buffer[i];
            buffer[--write] = b;
            if (b == (byte)'\n' && (i > 0 ? buffer[i - 1] : beforeChunk) != (byte)'\r')
            {
                buffer[--write] = (byte)'\r';
                added--;
            }
        }
        return total;
    }
}
