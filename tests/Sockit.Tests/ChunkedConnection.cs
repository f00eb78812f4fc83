using System.Net;
using Sockit.Relay;

namespace Sockit.Tests;

/// <summary>
/// A peer's bytes delivered in the pieces a test chooses (each read returns at most the next piece, and at most
/// what the reader asked for), then end of stream. Counts what the reader took, so a test can bound it.
/// </summary>
internal sealed class ChunkedConnection(byte[] bytes, IReadOnlyList<int> pieces) : DuplexEnd
{
    private int _offset;
    private int _piece;
    private int _leftInPiece = -1;

    /// <summary>Bytes handed to the reader so far.</summary>
    public int Consumed => _offset;

    public override EndPoint? RemoteEndPoint => null;

    public override string Name => "chunked";

    public override string PeerHost => "chunked";

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        if (buffer.IsEmpty || _offset == bytes.Length) return ValueTask.FromResult(0);
        if (_leftInPiece <= 0) _leftInPiece = pieces.Count == 0 ? bytes.Length : Math.Max(1, pieces[_piece++ % pieces.Count]);
        int n = Math.Min(Math.Min(buffer.Length, _leftInPiece), bytes.Length - _offset);
        bytes.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        _leftInPiece -= n;
        return ValueTask.FromResult(n);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel) => ValueTask.CompletedTask;

    public override ValueTask CompleteWritesAsync() => ValueTask.CompletedTask;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
