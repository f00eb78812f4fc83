namespace Sockit.Relay;

/// <summary>
/// Copies every byte read from and written to <paramref name="inner"/> into <paramref name="log"/>, in the
/// order they passed (ncat's <c>-o FILE</c>: a raw session log). Disposing this end closes the log too.
/// </summary>
public sealed class RecordingEnd(DuplexEnd inner, Stream log) : DuplexEndDecorator(inner)
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        int n = await Inner.ReadAsync(buffer, cancel).ConfigureAwait(false);
        Record(buffer.Span[..n]);
        return n;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        Record(data.Span);
        return Inner.WriteAsync(data, cancel);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync().ConfigureAwait(false);
        await log.DisposeAsync().ConfigureAwait(false);
    }

    private void Record(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        lock (_gate)
        {
            log.Write(bytes);
            log.Flush();
        }
    }
}
