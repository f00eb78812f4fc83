using Sockit.Diagnostics;

namespace Sockit.Relay;

/// <summary>
/// Dumps every byte read from and written to <paramref name="inner"/> as <see cref="HexDump"/> lines on
/// <paramref name="output"/> (ncat's <c>-x FILE</c>), flushed after each chunk so a <c>tail -f</c> sees it at
/// once. Wrap the local end (stdin/stdout): what is read from it is <see cref="DataDirection.Sent"/>, what is
/// written to it <see cref="DataDirection.Received"/>. Disposing this end disposes <paramref name="output"/>
/// when <paramref name="ownsOutput"/> is true.
/// </summary>
public sealed class HexDumpEnd(DuplexEnd inner, TextWriter output, bool ownsOutput = true) : DuplexEndDecorator(inner)
{
    private readonly HexDump _dump = new(output);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        int n = await Inner.ReadAsync(buffer, cancel).ConfigureAwait(false);
        Dump(DataDirection.Sent, buffer.Span[..n]);
        return n;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        Dump(DataDirection.Received, data.Span);
        return Inner.WriteAsync(data, cancel);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (ownsOutput) output.Dispose();
            else output.Flush();
        }
    }

    private void Dump(DataDirection direction, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        // HexDump keeps a chunk's lines together; the lock also keeps the writer's flush off the other direction's writes.
        lock (_gate)
        {
            _dump.Write(direction, bytes);
            output.Flush();
        }
    }
}
