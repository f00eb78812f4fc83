using Sockit.Relay;

namespace Sockit.Proxies;

/// <summary>
/// Reads a proxy handshake from an end through one small buffer: whole fields, a NUL-terminated string, HTTP headers
/// up to the blank line. Whatever arrived past the handshake (the peer's first data bytes) stays in
/// <see cref="Leftover"/>, so nothing sent right after a request or a reply is lost.
/// </summary>
internal sealed class HandshakeReader(DuplexEnd end, int limit = HandshakeReader.DefaultLimit)
{
    /// <summary>Largest handshake accepted: SOCKS messages are under 600 bytes; HTTP headers get 16 KiB.</summary>
    public const int DefaultLimit = 16 * 1024;

    private byte[] _buffer = new byte[512];
    private int _start;
    private int _end;

    /// <summary>Bytes received past what the handshake consumed.</summary>
    public ReadOnlyMemory<byte> Leftover => _buffer.AsMemory(_start, _end - _start);

    /// <summary>The next byte, not consumed.</summary>
    public async ValueTask<byte> PeekAsync(CancellationToken cancel)
    {
        await FillAsync(1, cancel).ConfigureAwait(false);
        return _buffer[_start];
    }

    /// <summary>Exactly <paramref name="count"/> bytes, consumed. Valid until the next call.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadExactlyAsync(int count, CancellationToken cancel)
    {
        await FillAsync(count, cancel).ConfigureAwait(false);
        var field = _buffer.AsMemory(_start, count);
        _start += count;
        return field;
    }

    /// <summary>Bytes up to a NUL (not included), consumed with it; at most <paramref name="max"/> bytes before it.</summary>
    public ValueTask<ReadOnlyMemory<byte>> ReadToNulAsync(int max, CancellationToken cancel) => ReadThroughAsync([0], max, cancel);

    /// <summary>HTTP headers: every byte through the first empty line (CRLF CRLF), consumed.</summary>
    public ValueTask<ReadOnlyMemory<byte>> ReadHeadersAsync(CancellationToken cancel) => ReadThroughAsync("\r\n\r\n"u8.ToArray(), limit, cancel);

    private async ValueTask<ReadOnlyMemory<byte>> ReadThroughAsync(byte[] delimiter, int max, CancellationToken cancel)
    {
        int searched = 0;
        while (true)
        {
            int at = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf(delimiter);
            if (at >= 0)
            {
                int length = searched + at;
                var field = _buffer.AsMemory(_start, length);
                _start += length + delimiter.Length;
                return field;
            }
            searched = Math.Max(0, _end - _start - delimiter.Length + 1);
            if (searched > max) throw new InvalidDataException($"a handshake field is longer than {max} bytes");
            await FillAsync(_end - _start + 1, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Reads until at least <paramref name="count"/> unconsumed bytes are buffered.</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancel)
    {
        if (count > limit) throw new InvalidDataException($"the handshake is longer than {limit} bytes");
        while (_end - _start < count)
        {
            if (_buffer.Length - _start < count)
            {
                // Move what is unconsumed to the front, growing the buffer when even that is not enough room.
                byte[] target = _buffer.Length < count ? new byte[Math.Min(limit, Math.Max(count, _buffer.Length * 2))] : _buffer;
                Buffer.BlockCopy(_buffer, _start, target, 0, _end - _start);
                _end -= _start;
                _start = 0;
                _buffer = target;
            }
            int n = await end.ReadAsync(_buffer.AsMemory(_end), cancel).ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException("the connection closed during the handshake");
            _end += n;
        }
    }
}
