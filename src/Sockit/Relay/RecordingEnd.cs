namespace Sockit.Relay;

/// <summary>
/// Copies every byte read from and written to <paramref name="inner"/> into <paramref name="log"/>, in the
/// order they passed (ncat's <c>-o FILE</c>: a raw session log). Disposing this end closes the log too.
/// </summary>
public sealed class RecordingEnd(DuplexEnd inner, Stream log) : DuplexEnd
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public override string Name => inner.Name;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        int n = await inner.ReadAsync(buffer, cancel).ConfigureAwait(false);
        Record(buffer.Span[..n]);
        return n;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        Record(data.Span);
        return inner.WriteAsync(data, cancel);
    }

    /// <inheritdoc />
    public override ValueTask CompleteWritesAsync() => inner.CompleteWritesAsync();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
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
