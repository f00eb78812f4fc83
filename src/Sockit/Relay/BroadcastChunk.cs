using System.Collections.Concurrent;

namespace Sockit.Relay;

/// <summary>
/// One chunk of the broadcast input, shared by every member it is queued for: one buffer, a reference count,
/// and back to its pool when the last member has sent it. So the fan-out copies nothing and allocates
/// nothing per chunk once the pool holds as many chunks as the slowest member's queue.
/// </summary>
internal sealed class BroadcastChunk
{
    private readonly ChunkPool _pool;
    private int _references;

    private BroadcastChunk(ChunkPool pool, int size)
    {
        _pool = pool;
        // Pinned for good (the pinned object heap), so a gather send hands the kernel its address without pinning it per call.
        Buffer = GC.AllocateUninitializedArray<byte>(size, pinned: true);
    }

    public byte[] Buffer { get; }

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Data => Buffer.AsMemory(0, Length);

    /// <summary>What the chunk holds in memory while queued (its whole buffer, however little of it is filled): what send queues are charged.</summary>
    public int Cost => Buffer.Length;

    /// <summary>Filled with <paramref name="length"/> bytes; the caller holds the first reference.</summary>
    public void Filled(int length)
    {
        Length = length;
        Volatile.Write(ref _references, 1);
    }

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) _pool.Return(this);
    }

    /// <summary>Free chunks of one size.</summary>
    internal sealed class ChunkPool(int size)
    {
        private readonly ConcurrentQueue<BroadcastChunk> _free = new();

        public int Size => size;

        public BroadcastChunk Rent() => _free.TryDequeue(out BroadcastChunk? chunk) ? chunk : new BroadcastChunk(this, size);

        public void Return(BroadcastChunk chunk) => _free.Enqueue(chunk);
    }
}
