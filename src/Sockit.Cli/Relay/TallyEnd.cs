using Sockit.Relay;

namespace Sockit.Cli.Relay;

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
    ProgressMeter? writeMeter = null) : DuplexEndDecorator(inner)
{
    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        int n = await Inner.ReadAsync(buffer, cancel).ConfigureAwait(false);
        if (n == 0 && !buffer.IsEmpty) // a zero-byte read waits for data; it is not the end
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
        return Inner.WriteAsync(data, cancel);
    }

    /// <inheritdoc />
    public override ValueTask CompleteWritesAsync()
    {
        writeMeter?.Complete();
        return Inner.CompleteWritesAsync();
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        readMeter?.Complete();
        writeMeter?.Complete();
        return Inner.DisposeAsync();
    }
}
