using Sockit.Diagnostics;

namespace Sockit.Relay;

/// <summary>
/// Counts what passes through <paramref name="inner"/> without changing it: an optional SHA-256 and progress
/// meter for what is read from it (<paramref name="readHash"/>, <paramref name="readMeter"/>) and for what is
/// written to it (<paramref name="writeHash"/>, <paramref name="writeMeter"/>). Nothing is allocated per chunk.
/// A meter is completed at its direction's end (read EOF, or writes completed) and at the latest on dispose.
/// </summary>
internal sealed class TallyEnd(
    DuplexEnd inner,
    Sha256Summary? readHash = null,
    Sha256Summary? writeHash = null,
    ProgressMeter? readMeter = null,
    ProgressMeter? writeMeter = null) : DuplexEnd
{
    /// <inheritdoc />
    public override string Name => inner.Name;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        int n = await inner.ReadAsync(buffer, cancel).ConfigureAwait(false);
        if (n == 0)
        {
            readMeter?.Complete();
            return 0;
        }
        readHash?.Append(buffer.Span[..n]);
        readMeter?.Add(n);
        return n;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        writeHash?.Append(data.Span);
        writeMeter?.Add(data.Length);
        return inner.WriteAsync(data, cancel);
    }

    /// <inheritdoc />
    public override ValueTask CompleteWritesAsync()
    {
        writeMeter?.Complete();
        return inner.CompleteWritesAsync();
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        readMeter?.Complete();
        writeMeter?.Complete();
        return inner.DisposeAsync();
    }
}
