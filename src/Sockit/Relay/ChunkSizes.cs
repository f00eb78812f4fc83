namespace Sockit.Relay;

/// <summary>
/// Chunk pools in a few sizes, so a short message (a chat line) is queued in a short chunk: send queues are
/// charged what a chunk holds in memory (<see cref="BroadcastChunk.Cost"/>), and a 20-byte line must not pin
/// a 64 KiB buffer in every slow member's queue.
/// </summary>
internal sealed class ChunkSizes
{
    private readonly BroadcastChunk.ChunkPool[] _pools;

    public ChunkSizes(int largest)
    {
        int[] sizes = [.. new[] { 256, 4096 }.Where(size => size < largest), largest];
        _pools = [.. sizes.Select(size => new BroadcastChunk.ChunkPool(size))];
        Largest = largest;
    }

    /// <summary>The most one chunk holds.</summary>
    public int Largest { get; }

    /// <summary>A chunk holding a copy of <paramref name="data"/> (at most <see cref="Largest"/> bytes); the caller holds its one reference.</summary>
    public BroadcastChunk Copy(ReadOnlySpan<byte> data)
    {
        BroadcastChunk chunk = Rent(data.Length);
        data.CopyTo(chunk.Buffer);
        chunk.Filled(data.Length);
        return chunk;
    }

    private BroadcastChunk Rent(int length)
    {
        foreach (BroadcastChunk.ChunkPool pool in _pools)
            if (pool.Size >= length) return pool.Rent();
        throw new ArgumentOutOfRangeException(nameof(length), length, $"more than the largest chunk ({Largest} bytes)");
    }
}
